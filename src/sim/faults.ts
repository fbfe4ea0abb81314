/**
 * Latency and fault injection specs for the simulator, and the seeded draws that apply them.
 * Latency is fixed or log-normal (optionally plus a per-completion-token cost), globally or per model.
 * Fault rates are probabilities in [0, 1], globally or per model (a per-model entry overrides the
 * global rate field by field).
 */
import { z } from "zod";
import { randomNormal, type Rng } from "../../lib/random.js";

const fixedLatency = z.object({
  kind: z.literal("fixed"),
  ms: z.number().min(0).max(600_000),
  perTokenMs: z.number().min(0).max(10_000).optional(),
});
const lognormalLatency = z.object({
  kind: z.literal("lognormal"),
  medianMs: z.number().min(0).max(600_000),
  sigma: z.number().min(0).max(5),
  perTokenMs: z.number().min(0).max(10_000).optional(),
});
export const latencyDistSchema = z.discriminatedUnion("kind", [fixedLatency, lognormalLatency]);
const perModelLatency = z.record(z.string(), latencyDistSchema).optional();
export const latencySpecSchema = z.discriminatedUnion("kind", [
  fixedLatency.extend({ perModel: perModelLatency }),
  lognormalLatency.extend({ perModel: perModelLatency }),
]);

const rate = z.number().min(0).max(1);
export const faultRatesSchema = z.object({
  /** 429 with `Retry-After` (seconds) and `retry-after-ms` headers. */
  rate429: rate.optional(),
  /** 500 with an OpenAI-style error body. */
  error500: rate.optional(),
  /** Never answer; the request stays open until the client gives up. */
  hang: rate.optional(),
  /** Headers and half of the JSON body, then the socket is destroyed. */
  truncate: rate.optional(),
  /** A judge writes a verdict without a parseable label. */
  invalidVerdict: rate.optional(),
  /** A structured-output request gets malformed JSON. */
  invalidJson: rate.optional(),
  /** Value of the Retry-After header on 429 (default 1 s). */
  retryAfterSeconds: z.number().min(0).max(3600).optional(),
});
export const faultSpecSchema = faultRatesSchema.extend({
  perModel: z.record(z.string(), faultRatesSchema).optional(),
});

export type LatencyDist = z.infer<typeof latencyDistSchema>;
export type LatencySpec = z.infer<typeof latencySpecSchema>;
export type FaultRates = z.infer<typeof faultRatesSchema>;
export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** A fault that changes how (or whether) the HTTP response is delivered. */
export type TransportFault = "rate429" | "error500" | "hang" | "truncate";

/** The rates that apply to `model`: the global spec with that model's entry laid over it. */
export function faultsFor(spec: FaultSpec, model: string): FaultRates {
  const own = spec.perModel?.[model];
  return own ? { ...spec, ...own } : spec;
}

/**
 * One uniform draw decides the transport fault: the rates are laid end to end on [0, 1), so they are
 * mutually exclusive and each occurs at its configured rate (their sum should stay <= 1).
 */
export function drawTransportFault(rates: FaultRates, rng: Rng): TransportFault | null {
  const u = rng();
  let edge = rates.rate429 ?? 0;
  if (u < edge) return "rate429";
  edge += rates.error500 ?? 0;
  if (u < edge) return "error500";
  edge += rates.hang ?? 0;
  if (u < edge) return "hang";
  edge += rates.truncate ?? 0;
  if (u < edge) return "truncate";
  return null;
}

/** True with probability `p`; draws nothing when p is 0 so fault-free runs keep the stream untouched. */
export function drawFlag(p: number | undefined, rng: Rng): boolean {
  return p !== undefined && p > 0 && rng() < p;
}

/** Milliseconds to wait before answering `model`, for an answer of `completionTokens` tokens. */
export function sampleLatencyMs(spec: LatencySpec, model: string, completionTokens: number, rng: Rng): number {
  const dist: LatencyDist = spec.perModel?.[model] ?? spec;
  const base = dist.kind === "fixed" ? dist.ms : dist.medianMs * Math.exp(dist.sigma * randomNormal(rng));
  return base + (dist.perTokenMs ?? 0) * completionTokens;
}
