/**
 * TF-IDF vectors: the local fallback for grouping agents and routing messages when no embedding model
 * is configured. Same definition as scikit-learn's TfidfVectorizer defaults (raw counts, smooth idf
 * `ln((1 + n) / (1 + df)) + 1`, L2-normalised rows), over lower-case word tokens of 2+ characters with
 * English stopwords removed. Pure.
 */

const STOPWORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its " +
    "me my no not of on or our she so that the their them then there these they this to too us was we were what when where " +
    "which who why will with would you your about after all also am any because before being both each few more most other " +
    "over own same should some such than through under until up very while"
  ).split(" "),
);

/** Lower-case word tokens (letters and digits, 2+ characters), stopwords removed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0];
    if (w.length >= 2 && !STOPWORDS.has(w)) out.push(w);
  }
  return out;
}

export interface TfidfModel {
  /** Terms in column order (sorted by document frequency descending, then alphabetically). */
  vocabulary: string[];
  /** idf per column. */
  idf: number[];
  /** The L2-normalised TF-IDF row of any text in this model's space (unknown terms are ignored). */
  transform(text: string): number[];
}

export interface TfidfOptions {
  /** Keep at most this many terms, the most frequent across documents (default 4096). */
  maxFeatures?: number;
  /** Ignore terms in fewer than this many documents (default 1). */
  minDf?: number;
}

/** Fit the vocabulary and idf weights on `docs`. */
export function fitTfidf(docs: readonly string[], opts: TfidfOptions = {}): TfidfModel {
  const df = new Map<string, number>();
  for (const doc of docs) for (const t of new Set(tokenize(doc))) df.set(t, (df.get(t) ?? 0) + 1);
  const minDf = opts.minDf ?? 1;
  const vocabulary = [...df.entries()]
    .filter(([, n]) => n >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, opts.maxFeatures ?? 4096)
    .map(([t]) => t);
  const column = new Map(vocabulary.map((t, i) => [t, i]));
  const n = docs.length;
  const idf = vocabulary.map((t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1);
  const transform = (text: string): number[] => {
    const row = new Array<number>(vocabulary.length).fill(0);
    for (const t of tokenize(text)) {
      const i = column.get(t);
      if (i !== undefined) row[i] = (row[i] ?? 0) + 1;
    }
    let sq = 0;
    for (let i = 0; i < row.length; i++) {
      row[i] = (row[i] ?? 0) * (idf[i] ?? 0);
      sq += (row[i] ?? 0) ** 2;
    }
    const len = Math.sqrt(sq);
    return len > 0 ? row.map((x) => x / len) : row;
  };
  return { vocabulary, idf, transform };
}

/** Fit on `docs` and return each document's row. */
export function tfidfVectors(docs: readonly string[], opts: TfidfOptions = {}): { model: TfidfModel; vectors: number[][] } {
  const model = fitTfidf(docs, opts);
  return { model, vectors: docs.map((d) => model.transform(d)) };
}
