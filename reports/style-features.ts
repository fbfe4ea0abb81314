/**
 * Style features of an answer: its length and markdown element counts, the covariates that style
 * control (see style-control.ts) regresses out. Counting follows Chatbot Arena's style control:
 * fenced code blocks are removed first, then headers, list items and bold spans are counted.
 */

/** Length and markdown counts of one answer. `length` is in characters here (token counts work too). */
export interface StyleCounts {
  length: number;
  headers: number;
  listItems: number;
  bold: number;
}

/** Feature names in the order the style-control design matrix uses. */
export const STYLE_FEATURES = ["length", "headers", "listItems", "bold"] as const;
export type StyleFeature = (typeof STYLE_FEATURES)[number];

const CODE_FENCE = /```[^]*?```/g;
const HEADER = /^#{1,6}[ \t]/gm;
const ORDERED_ITEM = /^[ \t]*\d+\.[ \t]/gm;
const UNORDERED_ITEM = /^[ \t]*[-*+][ \t]/gm;
const BOLD_STARS = /\*\*[^*\n]+\*\*/g;
const BOLD_UNDERSCORES = /__[^_\n]+__/g;

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * Counts an answer's style elements. `length` is the full text's length in characters (code included,
 * since a long code answer is long); markdown counts ignore fenced code so `# comment` lines in code
 * are not headers.
 */
export function styleFeatures(text: string): StyleCounts {
  const prose = text.replace(CODE_FENCE, "");
  return {
    length: text.length,
    headers: countMatches(prose, HEADER),
    listItems: countMatches(prose, ORDERED_ITEM) + countMatches(prose, UNORDERED_ITEM),
    bold: countMatches(prose, BOLD_STARS) + countMatches(prose, BOLD_UNDERSCORES),
  };
}

/**
 * The per-battle feature (a - b) / (a + b + 1) for each style element: in (-1, 1), antisymmetric in
 * the two sides, and scale-free, so characters and tokens give similar features.
 */
export function styleDiff(a: StyleCounts, b: StyleCounts): number[] {
  return STYLE_FEATURES.map((f) => (a[f] - b[f]) / (a[f] + b[f] + 1));
}
