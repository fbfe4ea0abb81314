/**
 * The simulator's stand-in for training (a SIMULATION, not training): given an exported training
 * file, a new version of a model is derived whose skill rises in the categories the data covers,
 * with diminishing returns: delta_c = maxGain * (1 - exp(-rows_c / scale)).
 */

export interface TrainOptions {
  /** The most a category's skill can rise from one file. */
  maxGain: number;
  /** Rows at which a category gets 63% of maxGain. */
  scale: number;
}

export const TRAIN_DEFAULTS: TrainOptions = { maxGain: 2, scale: 30 };

interface Msg {
  role?: unknown;
  content?: unknown;
  from?: unknown;
  value?: unknown;
}

/** The user-side text of one exported row, whatever the format (TRL, OpenAI, ShareGPT, Alpaca, Axolotl). */
export function promptTextOf(row: Record<string, unknown>): string {
  const parts: string[] = [];
  const take = (msgs: unknown) => {
    if (!Array.isArray(msgs)) return;
    for (const m of msgs as Msg[]) {
      const role = m.role ?? m.from;
      const content = m.content ?? m.value;
      if ((role === "user" || role === "human") && typeof content === "string") parts.push(content);
    }
  };
  take(row.messages);
  take(row.prompt);
  take(row.conversations);
  const input = row.input as { messages?: unknown } | undefined;
  if (input && typeof input === "object") take(input.messages);
  if (typeof row.prompt === "string") parts.push(row.prompt);
  if (typeof row.instruction === "string") parts.push(row.instruction);
  return parts.join("\n");
}

/** Parses JSONL into prompt texts; blank and malformed lines are counted, not fatal. */
export function promptsOfJsonl(text: string): { prompts: string[]; malformed: number } {
  const prompts: string[] = [];
  let malformed = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const row = JSON.parse(line) as unknown;
      const p = row && typeof row === "object" ? promptTextOf(row as Record<string, unknown>) : "";
      if (p) prompts.push(p);
      else malformed++;
    } catch {
      malformed++;
    }
  }
  return { prompts, malformed };
}

/** Skill deltas per category from row counts (pure). */
export function trainingDeltas(rowsByCategory: Record<string, number>, opts: TrainOptions = TRAIN_DEFAULTS): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cat, n] of Object.entries(rowsByCategory)) {
    if (n > 0) out[cat] = opts.maxGain * (1 - Math.exp(-n / opts.scale));
  }
  return out;
}
