/**
 * The simulator's stand-in for training (a SIMULATION, not training): given an exported training
 * file, a new version of a model is derived whose skill moves by what the rows teach it. The
 * simulator reads the hidden quality of each row's target answer back from its text (the share of
 * the question's key points it covers, as its judges see it) and compares it with the coverage the
 * model reaches itself in that category, sigmoid(skill). A row teaches `coverage - sigmoid(skill)`:
 * answers better than the model's own lift it most where it is weak, answers like its own teach
 * nothing, worse ones pull it down. Per category: delta_c = sign(L_c) * maxGain * (1 - exp(-|L_c| / scale)),
 * L_c the summed lessons, so returns diminish.
 */

export interface TrainOptions {
  /** The most a category's skill can move from one file. */
  maxGain: number;
  /** Summed lesson (coverage points above the model's own) at which a category gets 63% of maxGain. */
  scale: number;
}

export const TRAIN_DEFAULTS: TrainOptions = { maxGain: 2, scale: 10 };

interface Msg {
  role?: unknown;
  content?: unknown;
  from?: unknown;
  value?: unknown;
}

const roleOf = (m: Msg): unknown => m.role ?? m.from;
const contentOf = (m: Msg): unknown => m.content ?? m.value;

/** The user-side text of one exported row, whatever the format (TRL, OpenAI, ShareGPT, Alpaca, Axolotl). */
export function promptTextOf(row: Record<string, unknown>): string {
  const parts: string[] = [];
  const take = (msgs: unknown) => {
    if (!Array.isArray(msgs)) return;
    for (const m of msgs as Msg[]) {
      const content = contentOf(m);
      if ((roleOf(m) === "user" || roleOf(m) === "human") && typeof content === "string") parts.push(content);
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

/** The last assistant text of a message list, a single message, or a plain string. */
function lastAssistant(value: unknown): string {
  if (typeof value === "string") return value;
  const list = Array.isArray(value) ? (value as Msg[]) : value && typeof value === "object" ? [value as Msg] : [];
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i] ?? {};
    const content = contentOf(m);
    if ((roleOf(m) === "assistant" || roleOf(m) === "gpt") && typeof content === "string") return content;
  }
  return "";
}

/** The answer a row teaches: the SFT target (last assistant turn, Alpaca output) or the DPO chosen one. */
export function answerTextOf(row: Record<string, unknown>): string {
  if (row.chosen !== undefined) return lastAssistant(row.chosen);
  if (row.preferred_output !== undefined) return lastAssistant(row.preferred_output);
  if (typeof row.output === "string") return row.output;
  return lastAssistant(row.messages ?? row.conversations);
}

export interface TrainingRow {
  prompt: string;
  answer: string;
}

/** Parses JSONL into prompt/answer pairs; blank lines are skipped, malformed ones counted, not fatal. */
export function rowsOfJsonl(text: string): { rows: TrainingRow[]; malformed: number } {
  const rows: TrainingRow[] = [];
  let malformed = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const row = JSON.parse(line) as unknown;
      const obj = row && typeof row === "object" && !Array.isArray(row) ? (row as Record<string, unknown>) : {};
      const prompt = promptTextOf(obj);
      const answer = answerTextOf(obj);
      if (prompt && answer) rows.push({ prompt, answer });
      else malformed++;
    } catch {
      malformed++;
    }
  }
  return { rows, malformed };
}

/** How the simulator reads a row: its category, the answer's coverage, the model's own coverage there. */
export interface LessonReader {
  category(prompt: string): string;
  coverage(prompt: string, answer: string): number;
  ownCoverage(category: string): number;
}

/** Rows and summed lessons per category (pure given the reader). */
export function lessonsOf(rows: readonly TrainingRow[], read: LessonReader): { rows: Record<string, number>; lessons: Record<string, number> } {
  const count: Record<string, number> = {};
  const lessons: Record<string, number> = {};
  for (const r of rows) {
    const cat = read.category(r.prompt);
    count[cat] = (count[cat] ?? 0) + 1;
    lessons[cat] = (lessons[cat] ?? 0) + read.coverage(r.prompt, r.answer) - read.ownCoverage(cat);
  }
  return { rows: count, lessons };
}

/** Skill deltas per category from summed lessons (pure); a category with no lesson is left out. */
export function trainingDeltas(lessons: Record<string, number>, opts: TrainOptions = TRAIN_DEFAULTS): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cat, l] of Object.entries(lessons)) {
    if (l !== 0) out[cat] = Math.sign(l) * opts.maxGain * (1 - Math.exp(-Math.abs(l) / opts.scale));
  }
  return out;
}
