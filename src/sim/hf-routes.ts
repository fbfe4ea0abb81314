/**
 * Hugging Face style routes, shaped for `@huggingface/inference` 4.x given `endpointUrl` (which selects
 * the "hf-inference" helper and posts to the endpoint URL itself; the body carries no model name, so the
 * model is named in the URL):
 *
 *   textClassification({ endpointUrl: `${url}/hf/models/<reward-model>`, inputs })
 *     POST {url}/hf/models/<reward-model>            body { inputs }  ->  [[{ label: "LABEL_0", score }]]
 *   featureExtraction({ endpointUrl: `${url}/hf/models/<embedding-model>`, inputs })
 *     POST {url}/hf/models/<embedding-model>         body { inputs }  ->  number[] (number[][] for a list)
 *   textGeneration({ endpointUrl: `${url}/hf/models/<chat-model>`, inputs })
 *     POST {url}/hf/models/<chat-model>/v1/completions  (the SDK appends the path)  -> OpenAI completions
 *   (a TGI-style POST {url}/hf/models/<chat-model> with { inputs } answers [{ generated_text }])
 *   chatCompletion({ endpointUrl: `${url}/hf/models/<chat-model>`, messages })
 *     POST {url}/hf/models/<chat-model>/v1/chat/completions  (the SDK appends the path)  -> OpenAI shape
 *
 * `chatCompletion({ endpointUrl: baseUrl, model, messages })` with the OpenAI base URL (ending in /v1) also
 * works: the SDK posts to {url}/v1/chat/completions with `model` in the body.
 * Errors use the TGI shape `{ error: "message" }`, which the SDK turns into a readable message.
 */
import type { ServerResponse } from "node:http";
import { respondChat } from "./chat-engine.js";
import { RequestError } from "./chat-request.js";
import { embedText } from "./embeddings.js";
import { sendJson, sendTruncated } from "./http-util.js";
import { handleChat, handleCompletions } from "./openai-routes.js";
import { SimError } from "./registry.js";
import { scoreConversation } from "./reward.js";
import { countRequest, deliver, drawFaults, type DrawnFaults, type SimState } from "./state.js";
import { hashString32Parts } from "../../lib/hash.js";
import { mulberry32 } from "../../lib/random.js";

const HF_ROUTE = /^\/hf\/models\/(.+?)(?:\/v1)?(\/chat\/completions|\/completions)?$/;

export interface HfRoute {
  model: string;
  /** "task": the model's own task endpoint; "chat" / "completions": the OpenAI-style sub-routes. */
  sub: "task" | "chat" | "completions";
}

/** Match an HF route: the model name and which sub-route. */
export function matchHfRoute(path: string): HfRoute | null {
  const m = HF_ROUTE.exec(path);
  if (!m?.[1]) return null;
  const sub = m[2] === "/chat/completions" ? "chat" : m[2] === "/completions" ? "completions" : "task";
  return { model: decodeURIComponent(m[1]), sub };
}

function hfInputs(body: unknown): string[] {
  const inputs = typeof body === "object" && body !== null ? (body as { inputs?: unknown }).inputs : undefined;
  if (typeof inputs === "string") return [inputs];
  if (Array.isArray(inputs) && inputs.length > 0 && inputs.every((x) => typeof x === "string")) return inputs;
  if (typeof inputs === "object" && inputs !== null && typeof (inputs as { text?: unknown }).text === "string") {
    // text-classification also accepts { text, text_pair }: score the pair as question + answer.
    const t = inputs as { text: string; text_pair?: unknown };
    return [typeof t.text_pair === "string" ? `User: ${t.text}\nAssistant: ${t.text_pair}` : t.text];
  }
  throw new RequestError("inputs must be a string or an array of strings", "inputs");
}

/** The task output for `model` (reward scores, vectors or generated text) and its completion tokens. */
function taskOutput(state: SimState, model: string, inputs: string[], single: boolean, faults: DrawnFaults): { out: unknown; tokens: number } {
  const reward = state.registry.rewardModel(model);
  if (reward) {
    const out = inputs.map((text) => {
      const rng = mulberry32(hashString32Parts([reward.name, text], state.seed));
      return [{ label: "LABEL_0", score: scoreConversation(text, reward, rng) }];
    });
    return { out, tokens: 0 };
  }
  const embedder = state.registry.embeddingModel(model);
  if (embedder) {
    const vectors = inputs.map((t) => Array.from(embedText(t, embedder.dimensions)));
    return { out: single ? vectors[0] : vectors, tokens: 0 };
  }
  const chat = state.registry.chatModel(model);
  if (!chat) throw new SimError("model_not_found", `Model ${model} does not exist (simulator).`, "model");
  const ctx = { seed: state.seed, analyzer: state.analyzer, answerNoise: state.registry.preset.answerNoise };
  let tokens = 0;
  const out = inputs.map((text) => {
    const reply = respondChat(chat, { model: chat.name, messages: [{ role: "user", content: text }] }, ctx, faults);
    tokens += reply.completionTokens;
    return { generated_text: reply.choices[0]?.text ?? "" };
  });
  return { out, tokens };
}

/** `POST /hf/models/{model}[/v1/chat/completions]`. */
export function handleHf(state: SimState, res: ServerResponse, body: unknown, route: HfRoute): void {
  if (route.sub === "chat") return handleChat(state, res, body, "hf", route.model);
  if (route.sub === "completions") return handleCompletions(state, res, body, "hf", route.model);
  if (state.registry.kindOf(route.model) === null) {
    throw new SimError("model_not_found", `Model ${route.model} does not exist (simulator).`, "model");
  }
  const inputs = hfInputs(body);
  const single = typeof (body as { inputs?: unknown }).inputs === "string";
  countRequest(state, route.model);
  const faults = drawFaults(state, route.model);
  const { out, tokens } = taskOutput(state, route.model, inputs, single, faults);
  deliver(state, res, faults, {
    model: route.model,
    completionTokens: tokens,
    style: "hf",
    send: () => sendJson(res, 200, out),
    truncate: () => sendTruncated(res, 200, out),
  });
}
