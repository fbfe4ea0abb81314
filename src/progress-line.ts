/**
 * The one-line progress bar of a round, drawn by the CLI (`round follow`) and the demo from the
 * round's progress JSON.
 */

/** The fields of a round's progress the line shows. */
export interface ProgressLineInput {
  status: string;
  counts: { total: number; done: number; failed: number; pending: number };
  costUsd: number;
  tokens: { total: number };
  etaSeconds: number | null;
  /** An adaptive round's waves (absent or null for a fixed round). */
  adaptive?: { wave: number; ciWidth: number | null; targetCiWidth: number | null } | null;
}

/** `  wave 4  ci 72.3/60 Elo` for an adaptive round: the widest interval against the target (none before the first fit). */
function adaptivePart(a: ProgressLineInput["adaptive"]): string {
  if (!a) return "";
  const width = a.ciWidth === null ? "-" : a.ciWidth.toFixed(1);
  return `  wave ${a.wave}  ci ${width}${a.targetCiWidth === null ? "" : `/${a.targetCiWidth}`} Elo`;
}

/** One progress-bar line: `[#####.....]  150/300  50%  failed 2  eta 35s`. */
export function progressLine(p: ProgressLineInput, width = 30): string {
  const finished = p.counts.done + p.counts.failed;
  const frac = p.counts.total > 0 ? finished / p.counts.total : 1;
  const filled = Math.round(frac * width);
  const eta = p.etaSeconds === null ? "" : `  eta ${p.etaSeconds}s`;
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(finished).padStart(String(p.counts.total).length)}/${p.counts.total} ${String(Math.floor(frac * 100)).padStart(3)}%  failed ${p.counts.failed}  tokens ${p.tokens.total}  $${p.costUsd.toFixed(4)}  ${p.status}${eta}${adaptivePart(p.adaptive)}`;
}
