/**
 * OpenAI-compatible routes: `GET /v1/models`, `GET /v1/models/{id}`, `POST /v1/chat/completions`
 * (JSON or SSE with `stream: true`, usage chunk on `stream_options.include_usage`), the legacy
 * `POST /v1/completions`, and `POST /v1/embeddings` (float or base64). Model ids are owned by "matrix-arena-simulator".
 */
import type { ServerResponse } from "node:http";
import { respondChat, type SimChatReply } from "./chat-engine.js";
import { parseChatBody, RequestError } from "./chat-request.js";
import { embedText, toBase64 } from "./embeddings.js";
import { SIM_HEADER, sendJson, sendTruncated } from "./http-util.js";
import { SimError, type ChatModel } from "./registry.js";
import { countRequest, deliver, drawFaults, type ErrorStyle, type SimState } from "./state.js";
import { estimateTokens } from "./text.js";

const OWNER = "matrix-arena-simulator";
const CREATED = 1_700_000_000;

export function modelList(state: SimState): unknown {
  const data = state.registry.list().map((m) => ({ id: m.id, object: "model", created: CREATED, owned_by: OWNER, kind: m.kind }));
  return { object: "list", data };
}

export function modelInfo(state: SimState, id: string): unknown {
  const kind = state.registry.kindOf(id);
  if (kind === null) throw new SimError("model_not_found", `The model \`${id}\` does not exist (simulator).`, "model");
  return { id, object: "model", created: CREATED, owned_by: OWNER, kind };
}

export function completionBody(id: string, model: string, reply: SimChatReply): unknown {
  return {
    id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    system_fingerprint: OWNER,
    choices: reply.choices.map((c, index) => ({
      index,
      message: { role: "assistant", content: c.text, refusal: null, ...(c.reasoning !== null ? { [c.reasoningField]: c.reasoning } : {}) },
      logprobs: null,
      finish_reason: c.finishReason,
    })),
    usage: usageOf(reply),
  };
}

function usageOf(reply: SimChatReply): Record<string, unknown> {
  return {
    prompt_tokens: reply.promptTokens,
    // As OpenAI counts it: the trace's tokens are completion tokens, broken out in the details.
    completion_tokens: reply.completionTokens,
    total_tokens: reply.promptTokens + reply.completionTokens,
    ...(reply.reasoningTokens !== null ? { completion_tokens_details: { reasoning_tokens: reply.reasoningTokens } } : {}),
  };
}

/** SSE frames: role chunk, content chunks of a few words, finish chunk per choice; usage; [DONE]. */
function streamFrames(id: string, model: string, reply: SimChatReply, includeUsage: boolean): string[] {
  const base = { id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, system_fingerprint: OWNER };
  const usage = includeUsage ? { usage: null } : {};
  const frame = (choice: unknown): string => JSON.stringify({ ...base, choices: [choice], ...usage });
  const frames: string[] = [];
  reply.choices.forEach((c, index) => {
    frames.push(frame({ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }));
    // A separate trace streams first, in `delta.<field>` chunks (vLLM: delta.reasoning_content).
    for (const piece of c.reasoning?.match(/(?:\S+\s*){1,6}|\s+/g) ?? []) {
      frames.push(frame({ index, delta: { [c.reasoningField]: piece }, logprobs: null, finish_reason: null }));
    }
    for (const piece of c.text?.match(/(?:\S+\s*){1,6}|\s+/g) ?? []) {
      frames.push(frame({ index, delta: { content: piece }, logprobs: null, finish_reason: null }));
    }
    frames.push(frame({ index, delta: {}, logprobs: null, finish_reason: c.finishReason }));
  });
  if (includeUsage) frames.push(JSON.stringify({ ...base, choices: [], usage: usageOf(reply) }));
  frames.push("[DONE]");
  return frames.map((f) => `data: ${f}\n\n`);
}

function sendStream(res: ServerResponse, frames: string[], cut: boolean): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { ...SIM_HEADER, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  if (!cut) {
    res.end(frames.join(""));
    return;
  }
  res.write(frames.slice(0, Math.max(1, Math.floor(frames.length / 2))).join(""), () => res.destroy());
}

export function chatModelOrThrow(state: SimState, name: string): ChatModel {
  const model = state.registry.chatModel(name);
  if (model) return model;
  if (state.registry.kindOf(name) !== null) throw new RequestError(`model \`${name}\` is not a chat model`, "model");
  throw new SimError("model_not_found", `The model \`${name}\` does not exist (simulator).`, "model");
}

/** `POST /v1/chat/completions` (and the HF chat route, which names the model in the URL). */
export function handleChat(state: SimState, res: ServerResponse, body: unknown, style: ErrorStyle, modelOverride?: string): void {
  const { request, stream, includeUsage } = parseChatBody(body, modelOverride);
  const model = chatModelOrThrow(state, request.model);
  countRequest(state, model.name);
  const faults = drawFaults(state, model.name);
  if (faults.transport === "rate429" || faults.transport === "hang") {
    deliver(state, res, faults, { model: model.name, completionTokens: 0, style, send: () => undefined, truncate: () => undefined });
    return;
  }
  const ctx = { seed: state.seed, analyzer: state.analyzer, answerNoise: state.registry.preset.answerNoise };
  const reply = respondChat(model, request, ctx, faults);
  const id = `chatcmpl-sim-${state.requests.toString(36)}`;
  deliver(state, res, faults, {
    model: model.name,
    completionTokens: reply.completionTokens,
    style,
    send: () => (stream ? sendStream(res, streamFrames(id, model.name, reply, includeUsage), false) : sendJson(res, 200, completionBody(id, model.name, reply))),
    truncate: () => (stream ? sendStream(res, streamFrames(id, model.name, reply, includeUsage), true) : sendTruncated(res, 200, completionBody(id, model.name, reply))),
  });
}

/**
 * `POST /v1/completions` (legacy text completions; what @huggingface/inference's textGeneration calls):
 * the prompt is answered as a single user message, so the text equals the chat route's for that message.
 */
export function handleCompletions(state: SimState, res: ServerResponse, body: unknown, style: ErrorStyle, modelOverride?: string): void {
  const b = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const prompt = Array.isArray(b.prompt) ? b.prompt.join("\n") : b.prompt;
  if (typeof prompt !== "string") throw new RequestError("prompt must be a string", "prompt");
  const { prompt: _, ...rest } = b;
  const { request } = parseChatBody({ ...rest, messages: [{ role: "user", content: prompt }] }, modelOverride);
  const model = chatModelOrThrow(state, request.model);
  countRequest(state, model.name);
  const faults = drawFaults(state, model.name);
  const ctx = { seed: state.seed, analyzer: state.analyzer, answerNoise: state.registry.preset.answerNoise };
  const reply = respondChat(model, request, ctx, faults);
  const out = {
    id: `cmpl-sim-${state.requests.toString(36)}`,
    object: "text_completion",
    created: Math.floor(Date.now() / 1000),
    model: model.name,
    choices: reply.choices.map((c, index) => ({ index, text: c.text ?? "", logprobs: null, finish_reason: c.finishReason })),
    usage: usageOf(reply),
  };
  deliver(state, res, faults, {
    model: model.name,
    completionTokens: reply.completionTokens,
    style,
    send: () => sendJson(res, 200, out),
    truncate: () => sendTruncated(res, 200, out),
  });
}

function embeddingInputs(input: unknown): string[] {
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.length > 0) {
    // Token-id arrays are embedded by their ids' text; good enough for a simulator.
    return input.map((x, i) => {
      if (typeof x === "string") return x;
      if (Array.isArray(x) || typeof x === "number") return String(x);
      throw new RequestError(`input[${i}] must be a string`, `input[${i}]`);
    });
  }
  throw new RequestError("input must be a string or a non-empty array of strings", "input");
}

/** `POST /v1/embeddings`: hashed bag-of-words vectors (embeddings.ts). */
export function handleEmbeddings(state: SimState, res: ServerResponse, body: unknown): void {
  if (typeof body !== "object" || body === null) throw new RequestError("request body must be a JSON object", "body");
  const b = body as Record<string, unknown>;
  if (typeof b.model !== "string") throw new RequestError("model must be a string", "model");
  const spec = state.registry.embeddingModel(b.model);
  if (!spec) {
    if (state.registry.kindOf(b.model) !== null) throw new RequestError(`model \`${b.model}\` is not an embedding model`, "model");
    throw new SimError("model_not_found", `The model \`${b.model}\` does not exist (simulator).`, "model");
  }
  const inputs = embeddingInputs(b.input);
  const dims = typeof b.dimensions === "number" && Number.isInteger(b.dimensions) && b.dimensions > 0 ? Math.min(b.dimensions, 4096) : spec.dimensions;
  const base64 = b.encoding_format === "base64";
  countRequest(state, spec.name);
  const faults = drawFaults(state, spec.name);
  let tokens = 0;
  const data = inputs.map((text, index) => {
    tokens += estimateTokens(text);
    const v = embedText(text, dims);
    return { object: "embedding", index, embedding: base64 ? toBase64(v) : Array.from(v) };
  });
  const out = { object: "list", data, model: spec.name, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  deliver(state, res, faults, {
    model: spec.name,
    completionTokens: 0,
    style: "openai",
    send: () => sendJson(res, 200, out),
    truncate: () => sendTruncated(res, 200, out),
  });
}
