/**
 * Provider failures in the log, once per burst: the first failed call of a model with a given failure
 * kind is logged at warn with its reason; further failures of the same model and kind within the
 * window are only counted, and the next line after the window says how many were folded into it. A
 * provider that is down for an hour then writes a line a minute, not a stack trace per call. Budget
 * refusals are not provider failures and are not logged here (the round's budget stop says it once).
 */
import type { Logger } from "../logger.js";
import type { UsageRecord, UsageSink } from "../gateway/types.js";
import { tapUsage } from "./llm-store.js";

export const FAILURE_LOG_WINDOW_MS = 60_000;

/** What to do with one failure: log it (with how many were folded since the last line) or fold it. */
export type BurstDecision = { log: true; folded: number } | { log: false };

/** Per-key burst gate: the first event of a key logs, then events within `windowMs` of that line fold. */
export class BurstGate {
  private readonly open = new Map<string, { since: number; folded: number }>();

  constructor(private readonly windowMs: number) {}

  decide(key: string, now: number): BurstDecision {
    const cur = this.open.get(key);
    if (cur && now - cur.since < this.windowMs) {
      cur.folded++;
      return { log: false };
    }
    this.open.set(key, { since: now, folded: 0 });
    return { log: true, folded: cur?.folded ?? 0 };
  }
}

/** A usage sink that logs provider failures once per burst, then hands every record to `inner`. */
export function logProviderFailures<S extends UsageSink>(inner: S, logger: Pick<Logger, "warn">, opts: { windowMs?: number; now?: () => number } = {}): S {
  const gate = new BurstGate(opts.windowMs ?? FAILURE_LOG_WINDOW_MS);
  const now = opts.now ?? Date.now;
  return tapUsage(inner, (rec: UsageRecord) => {
    if (!rec.ok && rec.errorKind !== "budget") {
      const kind = rec.errorKind ?? "error";
      const d = gate.decide(`${rec.model}\u0000${kind}`, now());
      if (d.log) {
        logger.warn(
          { model: rec.model, purpose: rec.purpose, kind, reason: rec.errorMessage ?? kind, attempts: rec.attempts, foldedSinceLastLine: d.folded },
          `provider calls failing: ${rec.model} (${kind}); further failures of this kind are counted, not logged, for ${Math.round((opts.windowMs ?? FAILURE_LOG_WINDOW_MS) / 1000)} s`,
        );
      }
    }
  });
}
