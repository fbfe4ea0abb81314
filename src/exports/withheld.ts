/**
 * What an export withholds (pure): instructions a loop holds out for evaluation, matched by id and by
 * normalised text (so a re-imported copy is caught too), and prompts that collide with an uploaded
 * benchmark set, exactly or by a shared 13-gram (the generator's decontamination index). The sets
 * are built once per export; each instruction group is then checked in memory, and the rows a
 * withheld group would have given are counted (not written) so the dataset card can say how many.
 *
 * "Normalised text" is lib/text.ts `foldToWordText`, the normalisation behind the instruction pool's
 * content hash (not `foldCaseAndSpace`, which keeps punctuation and serves only row dedup). A held-out instruction's text is its first user turn.
 */
import type { InstructionGroup, PromptMessage } from "./select-types.js";
import type { DecontamIndex } from "../generator/clean/decontaminate.js";
import { hashWords } from "../../lib/hash.js";
import { foldToWords, foldToWordText } from "../../lib/text.js";
import { prepareText, type PreparedText } from "../generator/clean/normalize.js";

export const WITHHELD_REASONS = ["held-out-id", "held-out-text", "benchmark-exact", "benchmark-ngram"] as const;
export type WithheldReason = (typeof WITHHELD_REASONS)[number];

export const WITHHELD_WHY: Record<WithheldReason, string> = {
  "held-out-id": "held out for evaluation by a loop",
  "held-out-text": "same normalised text as an instruction a loop holds out",
  "benchmark-exact": "same normalised text as a prompt of an uploaded benchmark set",
  "benchmark-ngram": "shares a 13-word span with a prompt of an uploaded benchmark set",
};

/** Everything an export checks against, loaded once per export. */
export interface WithheldSets {
  /** Instruction ids held out by any loop. */
  heldOutIds: ReadonlySet<string>;
  /** Normalised first user turns of those instructions. */
  heldOutTexts: ReadonlySet<string>;
  /** Normalised benchmark prompts, for exact matches of any user turn. */
  benchmarkExact: ReadonlySet<string>;
  /** 13-gram index over the benchmark prompts (null when none are uploaded). */
  decontam: DecontamIndex | null;
}

export interface WithheldFlags {
  /** Keep instructions a loop holds out (by id or text). */
  includeHeldOut: boolean;
  /** Keep prompts colliding with a benchmark set. */
  includeBenchmarkCollisions: boolean;
}

/** The first user turn, the text an instruction is known by. */
export function firstUserText(messages: readonly { role: string; content: string }[]): string {
  return messages.find((m) => m.role === "user")?.content ?? "";
}

/**
 * An instruction's user turns, normalised lazily and at most once: with one user turn (the usual
 * case) its first turn, its turns and its joined user text are one string, whose words serve the
 * held-out, exact and 13-gram checks alike.
 */
class UserTurns {
  private readonly turns: string[];
  private singleWords: string[] | null = null;
  private normalizedTurns: string[] | null = null;
  private preparedText: PreparedText | null = null;
  constructor(messages: readonly PromptMessage[]) {
    this.turns = messages.filter((m) => m.role === "user").map((m) => m.content);
  }
  private words(): string[] {
    return (this.singleWords ??= foldToWords(this.turns[0] ?? ""));
  }
  normalized(): string[] {
    return (this.normalizedTurns ??= this.turns.length === 1 ? [this.words().join(" ")] : this.turns.map(foldToWordText));
  }
  /** Every user turn, joined as src/generator/items.ts `userText` joins them for the generator's cleaning. */
  prepared(): PreparedText {
    if (this.preparedText !== null) return this.preparedText;
    if (this.turns.length !== 1) return (this.preparedText = prepareText(this.turns.join("\n\n")));
    const words = this.words();
    return (this.preparedText = { text: this.turns[0] ?? "", normalized: words.join(" "), words, wordHashes: hashWords(words) });
  }
}

/** Whether a loop holds the instruction out: by its id first, else by its normalised first user turn. */
function heldOutMatch(sets: WithheldSets, id: string, turns: UserTurns): "held-out-id" | "held-out-text" | null {
  if (sets.heldOutIds.has(id)) return "held-out-id";
  if (sets.heldOutTexts.size > 0 && sets.heldOutTexts.has(turns.normalized()[0] ?? "")) return "held-out-text";
  return null;
}

/** Whether a user turn equals a benchmark prompt (normalised), else whether the user text shares a 13-gram with one. */
function benchmarkMatch(sets: WithheldSets, turns: UserTurns): "benchmark-exact" | "benchmark-ngram" | null {
  if (sets.benchmarkExact.size > 0 && turns.normalized().some((t) => sets.benchmarkExact.has(t))) return "benchmark-exact";
  if (sets.decontam !== null && sets.decontam.findContamination(turns.prepared()) !== null) return "benchmark-ngram";
  return null;
}

/** Instructions and rows withheld per reason, and instructions kept only because a flag asked for them. */
export interface WithheldSummary {
  withheld: Record<WithheldReason, { instructions: number; rows: number }>;
  included: { heldOut: number; benchmark: number };
}

export interface Withholding {
  /** The group's rows from `select`, or none when it is withheld (its rows are then counted by `count`). */
  rows<R>(group: InstructionGroup, select: (g: InstructionGroup) => R[], count: (g: InstructionGroup) => number): R[];
  summary(): WithheldSummary;
}

export function emptyWithheldSummary(): WithheldSummary {
  const withheld = Object.fromEntries(WITHHELD_REASONS.map((r) => [r, { instructions: 0, rows: 0 }])) as WithheldSummary["withheld"];
  return { withheld, included: { heldOut: 0, benchmark: 0 } };
}

/** The per-export check: a group that matches is withheld unless its flag is on, and counted either way. */
export function createWithholding(sets: WithheldSets, flags: WithheldFlags): Withholding {
  const s = emptyWithheldSummary();
  const checksHeldOut = sets.heldOutIds.size > 0 || sets.heldOutTexts.size > 0;
  const checksBenchmarks = sets.benchmarkExact.size > 0 || sets.decontam !== null;
  return {
    rows(group, select, count) {
      if (!checksHeldOut && !checksBenchmarks) return select(group);
      // A multi-turn instruction's later user turns are checked too (its messages hold the first only).
      const later = (group.instruction.turns ?? []).slice(1).map((content) => ({ role: "user" as const, content }));
      const turns = new UserTurns(later.length === 0 ? group.instruction.messages : [...group.instruction.messages, ...later]);
      const held = checksHeldOut ? heldOutMatch(sets, group.instruction.id, turns) : null;
      const bench = checksBenchmarks && (held === null || flags.includeHeldOut) ? benchmarkMatch(sets, turns) : null;
      const reason = held !== null && !flags.includeHeldOut ? held : bench !== null && !flags.includeBenchmarkCollisions ? bench : null;
      if (reason !== null) {
        s.withheld[reason].instructions += 1;
        s.withheld[reason].rows += count(group);
        return [];
      }
      if (held !== null) s.included.heldOut += 1;
      if (bench !== null) s.included.benchmark += 1;
      return select(group);
    },
    summary: () => structuredClone(s),
  };
}
