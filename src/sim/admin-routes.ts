/**
 * Simulator-only admin routes:
 *   GET  /sim/truth   the hidden parameters (skills, judge biases) to check statistics against
 *   POST /sim/models  { name, from, skillDelta: { <category>: number } } -> 201, a derived answer model
 *                     (stand-in for "the user trained the next checkpoint")
 *   GET/POST /sim/config  { faults?, latency? } read or replace fault and latency settings at run time
 *   GET  /sim/stats   request counts, total and per model
 */
import type { ServerResponse } from "node:http";
import { z } from "zod";
import { RequestError } from "./chat-request.js";
import { faultSpecSchema, latencySpecSchema } from "./faults.js";
import { sendJson } from "./http-util.js";
import type { SimState } from "./state.js";
import { assessAnswer } from "./quality.js";
import { lessonsOf, rowsOfJsonl, TRAIN_DEFAULTS, trainingDeltas } from "./train.js";
import { sigmoid } from "./math.js";
import { batchSpecSchema } from "./batch.js";

const deriveSchema = z.object({
  name: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:/-]+$/, "letters, digits and . _ : / - only"),
  from: z.string().min(1),
  skillDelta: z.record(z.string(), z.number().min(-12).max(12)).default({}),
});

const configSchema = z.object({ faults: faultSpecSchema.optional(), latency: latencySpecSchema.optional(), batch: batchSpecSchema.partial().optional() });

/** Parse with zod; a failure becomes a RequestError naming the first bad field. */
function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
  throw new RequestError(`${param}: ${issue?.message ?? "invalid"}`, param);
}

export function simConfig(state: SimState): { faults: unknown; latency: unknown; batch: unknown } {
  return { faults: state.faults, latency: state.latency, batch: state.batch.spec };
}

export function handleDerive(state: SimState, res: ServerResponse, body: unknown): void {
  const req = parseWith(deriveSchema, body);
  const model = state.registry.derive(req.name, req.from, req.skillDelta);
  const truth = state.registry.truth(state.seed).models[model.name];
  sendJson(res, 201, { name: model.name, from: req.from, simulator: true, ...truth });
}

export function handleConfig(state: SimState, res: ServerResponse, body: unknown): void {
  const req = parseWith(configSchema, body);
  if (req.faults) state.faults = req.faults;
  if (req.latency) state.latency = req.latency;
  if (req.batch) state.batch.spec = { ...state.batch.spec, ...req.batch };
  sendJson(res, 200, simConfig(state));
}

const trainSchema = z.object({
  name: z.string().min(1).max(128),
  from: z.string().min(1).max(128),
  /** The exported training file (JSONL, any of matrix-arena's export formats). */
  jsonl: z.string().max(200 * 1024 * 1024),
  maxGain: z.number().min(0).max(10).optional(),
  scale: z.number().min(0.001).max(1e9).optional(),
});

/** POST /sim/train: the SIMULATOR's stand-in for training (see train.ts). */
export function handleTrain(state: SimState, res: ServerResponse, body: unknown): void {
  const req = parseWith(trainSchema, body);
  // An unknown `from` is refused by derive() below, with the same error as /sim/models.
  const skills = state.registry.chatModel(req.from)?.skills ?? {};
  const { rows: parsed, malformed } = rowsOfJsonl(req.jsonl);
  // The model's own expected coverage in a category is sigmoid(skill) (answer noise left out).
  const { rows, lessons } = lessonsOf(parsed, {
    category: (p) => state.analyzer.classify(p),
    coverage: (p, a) => assessAnswer(p, a).coverage,
    ownCoverage: (c) => sigmoid(skills[c] ?? 0),
  });
  const delta = trainingDeltas(lessons, { maxGain: req.maxGain ?? TRAIN_DEFAULTS.maxGain, scale: req.scale ?? TRAIN_DEFAULTS.scale });
  const model = state.registry.derive(req.name, req.from, delta);
  const truth = state.registry.truth(state.seed).models[model.name];
  const note = "simulated training: skills move by how much better each row's answer covers its question than the model itself would";
  sendJson(res, 201, { name: model.name, from: req.from, simulator: true, note, rows, lessons, malformed, skillDelta: delta, ...truth });
}
