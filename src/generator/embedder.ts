/**
 * Text embeddings for grouping agents and routing messages: a registered embedding model through an
 * OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, Ollama, the simulator) or Hugging Face
 * feature extraction, and, when no embedding model is configured, TF-IDF vectors fitted on the batch
 * itself (so every text of one call shares one vector space). Rows come back L2-normalised.
 */
import { featureExtraction } from "@huggingface/inference";
import OpenAI from "openai";
import type { ModelSpec, SecretResolver } from "../gateway/types.js";
import { TaskError } from "./llm.js";
import { tfidfVectors } from "./tfidf.js";
import { normalize } from "./vectors.js";

export interface Embedding {
  vectors: number[][];
  /** "tfidf" or the embedding model's name. */
  method: string;
}

export type Embedder = (texts: readonly string[]) => Promise<Embedding>;

export interface EmbedderOptions {
  secrets: SecretResolver;
  /** Base URL (ending in /v1) of the simulator, for `provider: "sim"` models without a baseUrl. */
  simBaseUrl?: string;
  timeoutMs?: number;
}

const BATCH = 256;

/** Mean over tokens when a feature-extraction model returns one vector per token. */
function pooled(row: number | number[] | number[][]): number[] {
  if (typeof row === "number") return [row];
  if (row.length === 0 || typeof row[0] === "number") return row as number[];
  const tokens = row as number[][];
  const dims = tokens[0]?.length ?? 0;
  const out = new Array<number>(dims).fill(0);
  for (const t of tokens) for (let i = 0; i < dims; i++) out[i] = (out[i] ?? 0) + (t[i] ?? 0) / tokens.length;
  return out;
}

async function openAiEmbed(spec: ModelSpec, texts: readonly string[], baseURL: string | undefined, apiKey: string | undefined, timeout: number): Promise<number[][]> {
  const client = new OpenAI({ baseURL, apiKey: apiKey ?? "no-key", maxRetries: 2, timeout });
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += BATCH) {
    const res = await client.embeddings.create({ model: spec.model, input: texts.slice(i, i + BATCH), encoding_format: "float" });
    out.push(...[...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding));
  }
  return out;
}

async function hfEmbed(spec: ModelSpec, texts: readonly string[], apiKey: string | undefined): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += BATCH) {
    const inputs = texts.slice(i, i + BATCH);
    const target = spec.baseUrl ? { endpointUrl: spec.baseUrl } : { model: spec.model, provider: "auto" as const };
    const res = await featureExtraction({ ...(apiKey ? { accessToken: apiKey } : {}), ...target, inputs });
    // One input may come back as a bare vector rather than a list of one.
    const rows = inputs.length === 1 && typeof res[0] === "number" ? [res as number[]] : res;
    out.push(...rows.map(pooled));
  }
  return out;
}

/** An embedder for `spec`, or the TF-IDF fallback when `spec` is null. */
export function createEmbedder(spec: ModelSpec | null, opts: EmbedderOptions): Embedder {
  return async (texts) => {
    if (texts.length === 0) return { vectors: [], method: spec?.name ?? "tfidf" };
    if (!spec) return { vectors: tfidfVectors(texts).vectors, method: "tfidf" };
    const apiKey = spec.apiKeyEnv ? opts.secrets(spec.apiKeyEnv) : undefined;
    if (spec.apiKeyEnv && !apiKey) throw new TaskError("config", `API key for model ${spec.name} missing: environment variable ${spec.apiKeyEnv} is not set`, false);
    try {
      const rows =
        spec.provider === "huggingface"
          ? await hfEmbed(spec, texts, apiKey)
          : await openAiEmbed(spec, texts, spec.baseUrl ?? (spec.provider === "sim" ? opts.simBaseUrl : undefined), apiKey, opts.timeoutMs ?? 60_000);
      if (rows.length !== texts.length) throw new TaskError("invalid_output", `embedding model returned ${rows.length} vectors for ${texts.length} texts`, true);
      return { vectors: rows.map(normalize), method: spec.name };
    } catch (e) {
      if (e instanceof TaskError) throw e;
      const status = (e as { status?: unknown }).status;
      const retryable = typeof status !== "number" || status === 408 || status === 429 || status >= 500;
      throw new TaskError("embedding", `embedding with ${spec.name} failed: ${e instanceof Error ? e.message : String(e)}`, retryable);
    }
  };
}
