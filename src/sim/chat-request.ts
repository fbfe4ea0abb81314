/**
 * Validation of OpenAI chat-completion request bodies, by hand rather than with zod because it runs on
 * every simulated call. Errors name the offending field (`messages[2].content`), like OpenAI's `param`.
 */
import type { ResponseFormat, SimChatRequest } from "./chat-engine.js";

export class RequestError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

export interface ParsedChat {
  request: SimChatRequest;
  stream: boolean;
  includeUsage: boolean;
}

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Message content as text: a string, or the text parts of a content-part array. */
function contentText(c: unknown, param: string): string {
  if (typeof c === "string") return c;
  if (c === null || c === undefined) return "";
  if (!Array.isArray(c)) throw new RequestError(`${param} must be a string or an array of content parts`, param);
  return c
    .map((p, i) => {
      if (!isObj(p)) throw new RequestError(`${param}[${i}] must be an object`, `${param}[${i}]`);
      return p.type === "text" && typeof p.text === "string" ? p.text : "";
    })
    .join("\n");
}

function optNumber(body: Obj, key: string, lo: number, hi: number, integer = false): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new RequestError(`${key} must be ${integer ? "an integer" : "a number"} in [${lo}, ${hi}]`, key);
  }
  return v;
}

function responseFormat(v: unknown): ResponseFormat | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new RequestError("response_format must be an object", "response_format");
  if (v.type === "text") return { type: "text" };
  if (v.type === "json_object") return { type: "json_object" };
  if (v.type === "json_schema") {
    const js = v.json_schema;
    if (!isObj(js) || typeof js.name !== "string") {
      throw new RequestError("response_format.json_schema.name must be a string", "response_format.json_schema.name");
    }
    const schema = js.schema ?? {};
    if (!isObj(schema)) throw new RequestError("response_format.json_schema.schema must be an object", "response_format.json_schema.schema");
    return { type: "json_schema", name: js.name, schema };
  }
  throw new RequestError('response_format.type must be "text", "json_object" or "json_schema"', "response_format.type");
}

/** Validate a chat-completion body; `modelOverride` is the model named by the URL (HF endpoints). */
export function parseChatBody(body: unknown, modelOverride?: string): ParsedChat {
  if (!isObj(body)) throw new RequestError("request body must be a JSON object", "body");
  const model = modelOverride ?? body.model;
  if (typeof model !== "string" || model === "") throw new RequestError("model must be a non-empty string", "model");
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new RequestError("messages must be a non-empty array", "messages");
  }
  const messages = body.messages.map((m: unknown, i) => {
    if (!isObj(m) || typeof m.role !== "string") throw new RequestError(`messages[${i}].role must be a string`, `messages[${i}].role`);
    return { role: m.role, content: contentText(m.content, `messages[${i}].content`) };
  });
  const streamOptions = body.stream_options;
  const maxTokens = optNumber(body, "max_completion_tokens", 1, 1e7, true) ?? optNumber(body, "max_tokens", 1, 1e7, true);
  const request: SimChatRequest = {
    model,
    messages,
    temperature: optNumber(body, "temperature", 0, 2),
    topP: optNumber(body, "top_p", 0, 1),
    maxTokens,
    seed: optNumber(body, "seed", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true),
    n: optNumber(body, "n", 1, 16, true),
    responseFormat: responseFormat(body.response_format),
  };
  return {
    request,
    stream: body.stream === true,
    includeUsage: isObj(streamOptions) && streamOptions.include_usage === true,
  };
}
