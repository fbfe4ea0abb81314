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

const deriveSchema = z.object({
  name: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:/-]+$/, "letters, digits and . _ : / - only"),
  from: z.string().min(1),
  skillDelta: z.record(z.string(), z.number().min(-12).max(12)).default({}),
});

const configSchema = z.object({ faults: faultSpecSchema.optional(), latency: latencySpecSchema.optional() });

/** Parse with zod; a failure becomes a RequestError naming the first bad field. */
function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
  throw new RequestError(`${param}: ${issue?.message ?? "invalid"}`, param);
}

export function simConfig(state: SimState): { faults: unknown; latency: unknown } {
  return { faults: state.faults, latency: state.latency };
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
  sendJson(res, 200, simConfig(state));
}
