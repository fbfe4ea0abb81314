/**
 * Text primitives shared by the simulator's writers and readers: word tokenising, stopwords and the
 * "words * 1.3" token estimate that fills `usage`.
 */

const WORD_RE = /[a-z]+/g;
const NUMBER_RE = /\d+(?:\.\d+)?/g;

/** Lower-cased ASCII letter runs, in order (numbers and punctuation dropped). */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD_RE) ?? [];
}

/** Decimal number tokens (unsigned), in order. */
export function numbers(text: string): string[] {
  return text.match(NUMBER_RE) ?? [];
}

/** Every word and number token of `text`, for membership tests. */
export function tokenSet(text: string): Set<string> {
  const set = new Set<string>(words(text));
  for (const n of numbers(text)) set.add(n);
  return set;
}

/** Number of whitespace-separated words, counted without allocating. */
export function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

/** Token estimate used for `usage`: ceil(words * 1.3), the common rule of thumb for English. */
export function estimateTokens(text: string): number {
  return Math.ceil(wordCount(text) * 1.3);
}

/** Common English function words; never key points. The answer templates' vocabulary is added to this. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also always among an and any are aren around as at be because been " +
    "before being below between both but by can cannot could did didn does doesn doing don down during each " +
    "either else even ever every few first for from further get gets given going had has have having he her " +
    "here hers herself him himself his how however i if in into is isn it its itself just know last less let " +
    "like made make makes many may me might more most much must my myself need needs never new no nor not now " +
    "of off often on once one only or other others our ours ourselves out over own per please put rather " +
    "really said same say says second see seem shall she should show since so some such than that the their " +
    "theirs them themselves then there these they thing things third this those though three through thus to " +
    "too two under until up upon us use used using very via want was way ways we well were what whatever when " +
    "where whether which while who whom whose why will with within without would yes yet you your yours " +
    "yourself yourselves write give tell provide explain describe create following based below above"
  ).split(" "),
);
