/**
 * bench dedup: 100,000 generated instructions with 5,000 planted near duplicates through
 * `cleanInstructions`. Texts come from a word-bigram chain trained on the public prompt sets in
 * ../shared/data (if that folder is missing, on seeded pseudo-words with a Zipf-like law instead). Each planted duplicate edits
 * 5-10% of an original's words (substitutions, insertions, deletions, in one burst) and is kept only if
 * its true Jaccard on word 5-shingles is >= the threshold. True Jaccard is computed here on sets of
 * 5-gram strings, independently of the hashed shingles the cleaner uses.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type CleanResult, cleanInstructions, DEDUP_LSH_WEIGHTS } from "../src/generator/clean/clean.js";
import { candidateProbability, optimalLshParams } from "../src/generator/clean/lsh.js";
import { DEFAULT_NUM_PERM } from "../src/generator/clean/minhash.js";
import { mulberry32, pick, type Rng } from "../lib/random.js";
import { foldToWords } from "../lib/text.js";

const N = 100_000;
const PLANTED = 5_000;
const THRESHOLD = 0.7;
const NGRAM = 5;
const SEED = 20240611;
const DATA_DIR = fileURLToPath(new URL("../../shared/data/", import.meta.url));
const SYLLABLES = ["ka", "lo", "mi", "tra", "sen", "vo", "du", "pel", "ri", "gan", "so", "te", "bra", "nu", "fi", "zor"];

interface Chain {
  starts: string[];
  next: Map<string, string[]>;
  vocab: string[];
}

const WORD = /^[A-Za-z][A-Za-z'-]*[.,?!;:]?$/;

/** 200,000 words of sentences over 20,000 pseudo-words drawn log-uniformly (P(rank k) ~ 1/k, as in text). */
function syntheticText(rng: Rng): string {
  const vocab = Array.from({ length: 20_000 }, (_, i) =>
    [...i.toString(16)].map((d) => SYLLABLES[parseInt(d, 16)] ?? "").join(""),
  );
  const out: string[] = [];
  while (out.length < 200_000) {
    const length = 8 + Math.floor(rng() * 13);
    for (let w = 0; w < length; w++) {
      const word = vocab[Math.floor(Math.exp(rng() * Math.log(vocab.length)))] ?? "ka";
      out.push(w === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : w === length - 1 ? `${word}.` : word);
    }
  }
  return out.join(" ");
}

function corpusText(rng: Rng): { text: string; source: string } {
  const files = ["mt-bench-questions.jsonl", "arena-hard-v0.1-questions.jsonl", "alpaca-eval-prompts.json",
    "self-instruct-seed-tasks.jsonl", "self-instruct-user-oriented.jsonl"];
  if (!files.every((f) => existsSync(DATA_DIR + f))) return { text: syntheticText(rng), source: "seeded pseudo-words" };
  return { text: files.map((f) => readFileSync(DATA_DIR + f, "utf8")).join("\n"), source: DATA_DIR };
}

/** Word bigram chain over the corpus's natural-language tokens (JSON keys and code fall out via WORD). */
function buildChain(text: string): Chain {
  const tokens = text.replace(/\\n|\\"/g, " ").split(/\s+/).filter((t) => WORD.test(t));
  const next = new Map<string, string[]>();
  const starts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    const prev = tokens[i - 1];
    if (/^[A-Z]/.test(t) && (prev === undefined || /[.?!]$/.test(prev))) starts.push(t);
    const after = tokens[i + 1];
    if (after === undefined) continue;
    const list = next.get(t) ?? [];
    list.push(after);
    next.set(t, list);
  }
  return { starts: starts.length > 0 ? starts : tokens.slice(0, 1), next, vocab: [...new Set(tokens)] };
}

function generateWords(chain: Chain, rng: Rng, length: number): string[] {
  const words: string[] = [pick(rng, chain.starts, "")];
  while (words.length < length) {
    const options = chain.next.get(words[words.length - 1] as string);
    words.push(options && rng() < 0.97 ? pick(rng, options, "") : pick(rng, chain.starts, ""));
  }
  return words;
}

/** Apply k edits (substitute / insert / delete) inside one burst starting at a random position. */
function editBurst(words: readonly string[], rng: Rng, vocab: readonly string[], k: number): string[] {
  const out = [...words];
  let pos = Math.floor(rng() * Math.max(1, out.length - k));
  for (let e = 0; e < k; e++) {
    const r = rng();
    if (r < 0.5) out[Math.min(pos, out.length - 1)] = pick(rng, vocab, "");
    else if (r < 0.75) out.splice(pos, 0, pick(rng, vocab, ""));
    else if (out.length > 1) out.splice(Math.min(pos, out.length - 1), 1);
    pos += 1 + Math.floor(rng() * 2);
  }
  return out;
}

/** Reference 5-shingle set: normalised words joined as strings (texts under 5 words: one whole shingle). */
function shingleSet(text: string): Set<string> {
  const w = foldToWords(text);
  const n = Math.min(NGRAM, w.length);
  const out = new Set<string>();
  for (let i = 0; i + n <= w.length && n > 0; i++) out.add(w.slice(i, i + n).join(" "));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter || 1);
}

interface Corpus {
  items: { id: string; text: string }[];
  planted: Map<string, string>;
  plantedJaccard: number[];
}

/** Make one planted copy of `original` with true Jaccard >= THRESHOLD, or null after 30 tries. */
function plant(original: string, chain: Chain, rng: Rng): { text: string; j: number } | null {
  const words = original.split(" ");
  const ref = shingleSet(original);
  for (let attempt = 0; attempt < 30; attempt++) {
    const k = Math.max(1, Math.round(words.length * (0.05 + 0.05 * rng())));
    const text = editBurst(words, rng, chain.vocab, k).join(" ");
    const j = jaccard(ref, shingleSet(text));
    if (j >= THRESHOLD && j < 1) return { text, j };
  }
  return null;
}

function buildCorpus(chain: Chain, rng: Rng): Corpus {
  const base: string[] = [];
  for (let i = 0; i < N - PLANTED; i++) base.push(generateWords(chain, rng, 20 + Math.floor(rng() * 61)).join(" "));
  const planted = new Map<string, string>();
  const plantedJaccard: number[] = [];
  const copies: { at: number; id: string; text: string }[] = [];
  const used = new Set<number>();
  while (planted.size < PLANTED) {
    if (used.size === base.length) throw new Error(`could only plant ${planted.size} of ${PLANTED} pairs`);
    const src = Math.floor(rng() * base.length);
    if (used.has(src)) continue;
    used.add(src);
    const copy = plant(base[src] as string, chain, rng);
    if (!copy) continue;
    const id = `p${planted.size}`;
    planted.set(id, `b${src}`);
    plantedJaccard.push(copy.j);
    // A random slot in the stream: the copy may come before or after its original.
    copies.push({ at: Math.floor(rng() * (base.length + 1)), id, text: copy.text });
  }
  copies.sort((a, b) => a.at - b.at);
  const items: { id: string; text: string }[] = [];
  let c = 0;
  for (let i = 0; i <= base.length; i++) {
    for (; c < copies.length && (copies[c] as { at: number }).at === i; c++) {
      const { id, text } = copies[c] as { id: string; text: string };
      items.push({ id, text });
    }
    if (i < base.length) items.push({ id: `b${i}`, text: base[i] as string });
  }
  return { items, planted, plantedJaccard };
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;

interface Score {
  recall: number;
  precision: number;
  reported: number;
  organic: number;
}

/**
 * Recall: planted pairs reported in either direction (as near or exact duplicate). Precision: reported
 * near-duplicate pairs that are planted or whose reference 5-shingle Jaccard is >= the threshold.
 */
function score(corpus: Corpus, result: CleanResult): Score {
  const textById = new Map(corpus.items.map((it) => [it.id, it.text]));
  const isPlanted = (a: string, b: string): boolean => corpus.planted.get(a) === b || corpus.planted.get(b) === a;
  const pairs = result.removed.flatMap((r) =>
    (r.reason === "near_duplicate" || r.reason === "exact_duplicate") && typeof r.collidedWith === "string"
      ? [{ id: r.id, other: r.collidedWith, near: r.reason === "near_duplicate" }]
      : [],
  );
  const found = pairs.filter((p) => isPlanted(p.id, p.other)).length;
  const near = pairs.filter((p) => p.near);
  let correct = 0;
  let organic = 0;
  for (const p of near) {
    if (isPlanted(p.id, p.other)) correct++;
    else if (jaccard(shingleSet(textById.get(p.id) ?? ""), shingleSet(textById.get(p.other) ?? "")) >= THRESHOLD) {
      correct++;
      organic++;
    }
  }
  return { recall: found / PLANTED, precision: near.length === 0 ? 1 : correct / near.length, reported: near.length, organic };
}

export async function main(): Promise<void> {
  const rng = mulberry32(SEED);
  const { text, source } = corpusText(mulberry32(SEED + 1));
  const t0 = performance.now();
  const chain = buildChain(text);
  const corpus = buildCorpus(chain, rng);
  const js = [...corpus.plantedJaccard].sort((a, b) => a - b);
  console.log(`corpus: ${corpus.items.length} instructions from ${source} (vocab ${chain.vocab.length}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`planted: ${PLANTED} pairs, true 5-shingle Jaccard min=${quantile(js, 0).toFixed(3)} p10=${quantile(js, 0.1).toFixed(3)} median=${quantile(js, 0.5).toFixed(3)} max=${quantile(js, 1).toFixed(3)} (threshold ${THRESHOLD})`);

  const opts = { nearDupThreshold: THRESHOLD, ngram: NGRAM, minWords: 1 };
  const { bands, rows } = optimalLshParams(THRESHOLD, DEFAULT_NUM_PERM, DEDUP_LSH_WEIGHTS);
  const expected = js.reduce((acc, j) => acc + candidateProbability(j, bands, rows), 0) / js.length;
  console.log(`lsh: ${bands} bands x ${rows} rows; recall the S-curve predicts for the planted pairs: ${expected.toFixed(4)}`);

  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const result = cleanInstructions(corpus.items, opts);
  const seconds = (performance.now() - t1) / 1000;
  const cpuUsed = process.cpuUsage(cpu);
  // CPU time shows how much of the wall time was this process's own work on a shared machine.
  console.log(`clean: wall ${seconds.toFixed(2)} s, cpu ${((cpuUsed.user + cpuUsed.system) / 1e6).toFixed(2)} s`);

  const { recall, precision, reported, organic } = score(corpus, result);
  const reasons = new Map<string, number>();
  for (const r of result.removed) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  console.log(`kept ${result.kept.length}, removed ${JSON.stringify(Object.fromEntries(reasons))}; near-dup pairs reported ${reported} (${organic} unplanted with true J >= ${THRESHOLD})`);
  console.log(`bench dedup: seconds=${seconds.toFixed(2)} recall=${recall.toFixed(4)} precision=${precision.toFixed(4)} n=${corpus.items.length} planted=${PLANTED}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
