/**
 * Text embeddings for grouping agents and routing messages: a registered embedding model through the
 * provider gateway (an OpenAI-compatible `/v1/embeddings` endpoint such as OpenAI, vLLM, Ollama or
 * the simulator, or Hugging Face feature extraction), so embeddings get the response cache, the
 * model's limits, retries and usage accounting like every other call. When no embedding model is
 * configured, TF-IDF vectors fitted on the batch itself (every text of one call shares one vector
 * space). Rows come back L2-normalised. Given a run's spend guard, embedding calls reserve and settle
 * against its budget like its chat calls (a refusal is a JobError of kind "budget").
 */
import { JobError } from "../../../lib/job-error.js";
import type { Gateway, ModelSpec, SpendGuard } from "../../gateway/types.js";
import { tfidfVectors } from "../algorithms/tfidf.js";
import { normalize } from "../algorithms/vectors.js";

export interface Embedding {
  vectors: number[][];
  /** "tfidf" or the embedding model's name. */
  method: string;
}

export type Embedder = (texts: readonly string[]) => Promise<Embedding>;

/** An embedder for `spec` through `gateway`, or the TF-IDF fallback when `spec` is null; `guard` charges a budget. */
export function createEmbedder(spec: ModelSpec | null, gateway: Gateway, purpose = "generator", guard?: SpendGuard): Embedder {
  return async (texts) => {
    if (texts.length === 0) return { vectors: [], method: spec?.name ?? "tfidf" };
    if (!spec) return { vectors: tfidfVectors(texts).vectors, method: "tfidf" };
    const res = await gateway.embed(spec, { texts, purpose, ...(guard ? { guard } : {}) });
    if (!res.ok) throw new JobError(res.kind, `embedding with ${spec.name} failed: ${res.message}`, res.retryable);
    return { vectors: res.vectors.map(normalize), method: spec.name };
  };
}
