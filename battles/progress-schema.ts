/**
 * The shape of a round's progress, declared once: `roundProgress` (battles/progress.ts) computes it,
 * the HTTP routes document it (src/http/schemas.ts adds who created the round), and the CLI and the
 * demo read it back. Zod only, no database, so clients can import it.
 */
import { z } from "zod";

export const ROUND_STATUSES = ["pending", "running", "done", "failed", "cancelled", "budget_exhausted"] as const;

export const RoundProgressSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  status: z.enum(ROUND_STATUSES),
  pairing: z.string(),
  judgeMode: z.string(),
  /** The judge prompt version the round's judgments are recorded under (a built-in, or a user template's name@n). */
  promptVersion: z.string(),
  candidates: z.array(z.string()),
  judges: z.array(z.string()),
  target: z.string().nullable(),
  baseline: z.string().nullable(),
  iterationId: z.string().nullable(),
  /** How the round judges and labels, as it was created (fixed for its life). */
  options: z.object({
    jury: z.enum(["mean", "majority"]),
    swapRule: z.enum(["soft", "strict"]),
    useReference: z.boolean(),
    maxAttempts: z.number(),
    invalidRetries: z.number(),
    humanOverride: z.boolean(),
    judgeSeesTraces: z.boolean(),
    /** Multi-turn instructions: judged on the whole conversation or the last turn. */
    judgeTurns: z.enum(["conversation", "last"]),
  }),
  error: z.string().nullable(),
  counts: z.object({ total: z.number(), done: z.number(), failed: z.number(), pending: z.number(), running: z.number(), cancelled: z.number(), invalid: z.number() }),
  responses: z.number(),
  judgments: z.object({ total: z.number(), invalid: z.number() }),
  tokens: z.object({ prompt: z.number(), completion: z.number(), total: z.number() }),
  costUsd: z.number(),
  errors: z.record(z.string(), z.number()),
  etaSeconds: z.number().nullable(),
  /** The round's caps, reservations in flight and recorded overshoot; null for a round without a budget. */
  budget: z
    .object({
      maxCostUsd: z.number().nullable(),
      maxTokens: z.number().nullable(),
      reservedCostUsd: z.number(),
      reservedTokens: z.number(),
      overshoot: z.object({ calls: z.number(), costUsd: z.number(), tokens: z.number() }),
    })
    .nullable(),
  /**
   * An adaptive round's waves: the widest 95% interval on its board after the last settled wave (the
   * figure GET /v1/leaderboard?roundId=&bootstrap= shows, with `bootstrap` below) against the target, and
   * the battles spent; null for a fixed round.
   */
  adaptive: z
    .object({
      wave: z.number(),
      ciWidth: z.number().nullable(),
      targetCiWidth: z.number().nullable(),
      /** Bootstrap rounds of the board ciWidth is read from (GET /v1/leaderboard?roundId=&bootstrap=). */
      bootstrap: z.number(),
      maxBattles: z.number().nullable(),
      battles: z.number(),
      stoppedBy: z.enum(["target", "max_battles", "exhausted", "failed"]).nullable(),
    })
    .nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export type RoundProgress = z.infer<typeof RoundProgressSchema>;
export type RoundStatus = RoundProgress["status"];
