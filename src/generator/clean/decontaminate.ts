/**
 * Decontamination: an index of word 13-grams (of normalised text) over benchmark prompt sets, so
 * generated instructions that copy a span of a benchmark prompt can be dropped before training. A
 * benchmark prompt shorter than 13 words has no 13-gram; it is matched as a whole normalised string
 * (the instruction's normalised text must equal it), because containment of a 3-word prompt such as
 * "Prove the Pythagorean theorem" inside a longer instruction is not evidence of copying.
 */
import { hashWordRun } from "../../../lib/hash.js";
import { type PreparedText, prepareText } from "./normalize.js";

/** n-gram length used by GPT-3 / Llama-style decontamination reports. */
export const DECONTAM_NGRAM = 13;

export interface BenchmarkPrompt {
  id: string;
  text: string;
}

export interface BenchmarkSet {
  benchmark: string;
  prompts: readonly BenchmarkPrompt[];
}

export interface ContaminationHit {
  benchmark: string;
  promptId: string;
  /** The shared normalised n-gram, or the whole normalised prompt for a short prompt. */
  ngram: string;
}

export interface DecontamIndex {
  readonly n: number;
  /** Distinct n-grams indexed. */
  readonly ngramCount: number;
  /** Prompts shorter than n words, matched whole. */
  readonly shortPromptCount: number;
  /** The first benchmark n-gram (in the text's word order) found in `text`, or null. */
  findContamination(text: string | PreparedText): ContaminationHit | null;
}

interface Entry {
  benchmark: string;
  promptId: string;
  words: readonly string[];
  start: number;
}

function sameRun(a: readonly string[], aStart: number, b: readonly string[], bStart: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[aStart + k] !== b[bStart + k]) return false;
  return true;
}

/**
 * Word n-grams keyed by a 32-bit hash of the run; a hit is confirmed word by word, so hash collisions
 * never flag. Prompts shorter than n words are kept whole, by normalised string.
 */
class NgramIndex implements DecontamIndex {
  private readonly grams = new Map<number, Entry[]>();
  private readonly whole = new Map<string, { benchmark: string; promptId: string }>();
  private distinctNgrams = 0;

  constructor(readonly n: number) {}

  get ngramCount(): number {
    return this.distinctNgrams;
  }

  get shortPromptCount(): number {
    return this.whole.size;
  }

  /** Index one prompt; an n-gram (or short prompt) already present keeps its first owner. */
  add(benchmark: string, promptId: string, text: string): void {
    const { normalized, words, wordHashes } = prepareText(text);
    if (words.length === 0) return;
    if (words.length < this.n) {
      if (!this.whole.has(normalized)) this.whole.set(normalized, { benchmark, promptId });
      return;
    }
    for (let i = 0; i + this.n <= words.length; i++) {
      const key = hashWordRun(wordHashes, i, this.n);
      const bucket = this.grams.get(key) ?? [];
      if (bucket.some((e) => sameRun(e.words, e.start, words, i, this.n))) continue;
      bucket.push({ benchmark, promptId, words, start: i });
      this.grams.set(key, bucket);
      this.distinctNgrams++;
    }
  }

  findContamination(text: string | PreparedText): ContaminationHit | null {
    const { normalized, words, wordHashes } = typeof text === "string" ? prepareText(text) : text;
    if (words.length === 0) return null;
    if (words.length < this.n) {
      const ref = this.whole.get(normalized);
      return ref ? { ...ref, ngram: normalized } : null;
    }
    for (let i = 0; i + this.n <= words.length; i++) {
      const bucket = this.grams.get(hashWordRun(wordHashes, i, this.n));
      const entry = bucket?.find((e) => sameRun(e.words, e.start, words, i, this.n));
      if (entry) return { benchmark: entry.benchmark, promptId: entry.promptId, ngram: words.slice(i, i + this.n).join(" ") };
    }
    return null;
  }
}

/** Build the index; when several prompts share an n-gram, the first one given is reported. */
export function buildDecontamIndex(sets: readonly BenchmarkSet[], opts: { n?: number } = {}): DecontamIndex {
  const index = new NgramIndex(opts.n ?? DECONTAM_NGRAM);
  for (const set of sets) for (const prompt of set.prompts) index.add(set.benchmark, prompt.id, prompt.text);
  return index;
}
