// Verdict parsing on messy real-world judge outputs: last match wins, tiers in order, null when no label,
// and no input can make a parser throw.
import { describe, expect, it } from "vitest";
import { parseJsonVerdict, parsePairwiseVerdict, parseRating, normaliseLabel } from "../../judges/parse.js";
import type { PairwiseLabel } from "../../judges/labels.js";
import { mulberry32 } from "../../lib/random.js";

const pairwiseCases: { name: string; text: string; want: PairwiseLabel | null }[] = [
  { name: "plain arena-hard verdict", text: "My final verdict is tie: [[A=B]]", want: "A=B" },
  { name: "every canonical label", text: "[[A>>B]]", want: "A>>B" },
  { name: "B strongly", text: "Verdict follows. [[B>>A]]", want: "B>>A" },
  { name: "several labels, last wins", text: "At first [[A>B]] seemed right.\nOn reflection, my final verdict is: [[B>A]]", want: "B>A" },
  { name: "judge echoes the label list, last wins", text: "1. [[A>>B]]\n2. [[A>B]]\nFinal: [[A=B]]", want: "A=B" },
  { name: "markdown bold around", text: "**My final verdict is: [[A>B]]**", want: "A>B" },
  { name: "bold inside brackets", text: "Final verdict: [[**B>A**]]", want: "B>A" },
  { name: "spaces inside", text: "My final verdict is [[ A >> B ]].", want: "A>>B" },
  { name: "lowercase", text: "my final verdict is [[b>>a]]", want: "B>>A" },
  { name: "unicode much-greater sign", text: "Final verdict: [[B≫A]]", want: "B>>A" },
  { name: "full-width symbols", text: "最终裁决：［［Ａ＞Ｂ］］", want: "A>B" },
  { name: "html entity", text: "verdict [[A&gt;&gt;B]]", want: "A>>B" },
  { name: "markdown-escaped", text: "Final verdict: [[A\\>B]]", want: "A>B" },
  { name: "reversed comparison", text: "[[B<A]]", want: "A>B" },
  { name: "reversed strong comparison", text: "[[A<<B]]", want: "B>>A" },
  { name: "double equals tie", text: "[[A==B]]", want: "A=B" },
  { name: "nonsense A>A skipped, earlier valid label kept", text: "[[B>A]] ... [[A>A]]", want: "B>A" },
  { name: "no label", text: "Both answers are fine, but neither is perfect.", want: null },
  { name: "prose without brackets is not parsed", text: "Assistant A is better than Assistant B.", want: null },
  { name: "empty", text: "", want: null },
  { name: "MT-bench pairwise [[A]]", text: "Overall A wins. [[A]]", want: "A>B" },
  { name: "MT-bench pairwise [[C]] tie", text: "[[C]]", want: "A=B" },
  { name: "MT-bench [[B]] then arena-hard label: arena-hard tier first", text: "[[A>>B]] hmm, actually [[B]]", want: "A>>B" },
  { name: "arena-hard pairwise with an MT-bench rating in the same text", text: "Rating: [[8]]\nMy final verdict is: [[B>A]]", want: "B>A" },
  { name: "unbracketed label on a final verdict line", text: "After comparing...\nFinal verdict: **B>A**", want: "B>A" },
  { name: "unbracketed strong label after prose on the verdict line", text: "My final verdict is that Assistant A is much better: A>>B.", want: "A>>B" },
  { name: "bracketed label beats a later unbracketed verdict line", text: "[[A>B]]\nFinal verdict: B>>A", want: "A>B" },
  { name: "label on a line without 'verdict' is not parsed", text: "I think A>B overall.", want: null },
  { name: "single brackets on a verdict line", text: "Final Verdict: [A=B]", want: "A=B" },
  { name: "label inside a word does not count", text: "Final verdict: BA>BB", want: null },
  // Each look-alike fold on its own (mutation testing found these unpinned).
  { name: "unicode much-less sign", text: "[[A≪B]]", want: "B>>A" },
  { name: "full-width less-than", text: "［［Ｂ＜Ａ］］", want: "A>B" },
  { name: "html less-than entity", text: "[[B&lt;A]]", want: "A>B" },
  { name: "full-width equals", text: "[[Ａ＝Ｂ]]", want: "A=B" },
  { name: "full-width C", text: "[[Ｃ]]", want: "A=B" },
  { name: "MT-bench [[B]]", text: "So B. [[B]]", want: "B>A" },
  { name: "MT-bench spaced bold", text: "[[ **A** ]]", want: "A>B" },
  { name: "MT-bench bold then space", text: "[[** B**]]", want: "B>A" },
  { name: "MT-bench space before closing bold", text: "[[C **]]", want: "A=B" },
  { name: "MT-bench bold TIE then space", text: "[[**TIE** ]]", want: "A=B" },
];

describe("parsePairwiseVerdict", () => {
  for (const tc of pairwiseCases) {
    it(tc.name, () => expect(parsePairwiseVerdict(tc.text)).toBe(tc.want));
  }
});

describe("normaliseLabel", () => {
  it.each([
    ["A>>B", "A>>B"],
    [" a > b ", "A>B"],
    ["[[B≫A]]", "B>>A"],
    ["B<A", "A>B"],
    ["A=A", null],
    ["CA>B", null],
    ["A>BC", null],
    ["tie", null],
    [42, null],
  ] as const)("%s -> %s", (input, want) => expect(normaliseLabel(input)).toBe(want));
});

const ratingCases: { name: string; text: string; want: number | null }[] = [
  { name: "MT-bench format", text: "The answer is solid.\nRating: [[7]]", want: 7 },
  { name: "bare brackets", text: "[[8]]", want: 8 },
  { name: "decimal", text: "Rating: [[8.5]]", want: 8.5 },
  { name: "out of ten inside brackets", text: "[[7/10]]", want: 7 },
  { name: "last wins", text: "Initially [[3]]. Revised rating: [[6]]", want: 6 },
  { name: "unbracketed rating x/10", text: "Rating: 7/10", want: 7 },
  { name: "unbracketed bold score", text: "**Score:** 9", want: 9 },
  { name: "bracketed tier beats a later unbracketed one", text: "Rating: [[4]]\nScore: 9/10", want: 4 },
  { name: "ten", text: "Rating: [[10]]", want: 10 },
  { name: "zero is out of range", text: "Rating: [[0]]", want: null },
  { name: "eleven is out of range", text: "Rating: [[11]]", want: null },
  { name: "last out of range -> null, no fallback to earlier", text: "[[7]] ... [[12]]", want: null },
  { name: "full-width digits", text: "Rating: [[８]]", want: 8 },
  { name: "one is in range", text: "Rating: [[1]]", want: 1 },
  { name: "full-width colon", text: "Rating：7", want: 7 },
  { name: "full-width slash", text: "Rating: [[7／10]]", want: 7 },
  { name: "no rating", text: "A good answer overall.", want: null },
  { name: "pairwise label only", text: "My final verdict is: [[A>B]]", want: null },
  { name: "both formats in one text", text: "[[A>B]]\nRating: [[6]]", want: 6 },
];

describe("parseRating", () => {
  for (const tc of ratingCases) {
    it(tc.name, () => expect(parseRating(tc.text)).toBe(tc.want));
  }
});

const jsonCases: { name: string; text: string; want: { reasoning: string; verdict: PairwiseLabel } | null }[] = [
  { name: "bare object", text: '{"reasoning":"A is right","verdict":"A>B"}', want: { reasoning: "A is right", verdict: "A>B" } },
  { name: "json fence", text: 'Here:\n```json\n{"reasoning": "tie", "verdict": "A=B"}\n```', want: { reasoning: "tie", verdict: "A=B" } },
  { name: "plain fence", text: '```\n{"reasoning": "r", "verdict": "B>>A"}\n```', want: { reasoning: "r", verdict: "B>>A" } },
  { name: "two fences, last wins", text: '```json\n{"reasoning":"x","verdict":"A>B"}\n```\n```json\n{"reasoning":"y","verdict":"B>A"}\n```', want: { reasoning: "y", verdict: "B>A" } },
  { name: "prose around an object", text: 'Sure! {"reasoning":"ok","verdict":"B>A"} Hope this helps.', want: { reasoning: "ok", verdict: "B>A" } },
  { name: "tolerant verdict form", text: '{"reasoning":"","verdict":"[[a >> b]]"}', want: { reasoning: "", verdict: "A>>B" } },
  { name: "missing reasoning", text: '{"verdict":"A=B"}', want: { reasoning: "", verdict: "A=B" } },
  { name: "invalid verdict", text: '{"reasoning":"r","verdict":"A is better"}', want: null },
  { name: "truncated json", text: '{"reasoning":"r","verdict":"A>', want: null },
  { name: "array", text: '["A>B"]', want: null },
  { name: "not json", text: "My final verdict is [[A>B]]", want: null },
  {
    name: "only the last 8 fences are tried",
    text: ['```json\n{"verdict":"A>B"}\n```', ...Array.from({ length: 8 }, () => '```json\n{"verdict":"none"}\n```')].join("\n"),
    want: null,
  },
];

describe("parseJsonVerdict", () => {
  for (const tc of jsonCases) {
    it(tc.name, () => expect(parseJsonVerdict(tc.text)).toEqual(tc.want));
  }
});

// Fragments that stress the patterns (near-labels, brackets, fences) mixed with arbitrary code points.
const FRAGMENTS = ["[[", "]]", "A", "B", "C", ">", ">>", "=", "<", "≫", "*", " ", "\n", "verdict", "Rating:", "/10", "```json", "{", "}", '"verdict":', "8", ".5", "\\", "&gt;", "［", "[[A>B]]", "[[B >> A]]", "[[6]]", '{"verdict":"A=B"}'];

function randomText(rng: () => number): string {
  const parts: string[] = [];
  const n = Math.floor(rng() * 40);
  for (let i = 0; i < n; i++) {
    if (rng() < 0.6) parts.push(FRAGMENTS[Math.floor(rng() * FRAGMENTS.length)] ?? "");
    else parts.push(String.fromCodePoint(Math.floor(rng() * 0x2ffff)));
  }
  return parts.join("");
}

describe("parsers never throw", () => {
  it("on 3000 seeded random strings, and results stay in their domains", () => {
    const rng = mulberry32(20240611);
    const labels = new Set(["A>>B", "A>B", "A=B", "B>A", "B>>A"]);
    let parsedSomething = 0;
    for (let i = 0; i < 3000; i++) {
      const text = randomText(rng);
      const label = parsePairwiseVerdict(text);
      const rating = parseRating(text);
      const json = parseJsonVerdict(text);
      expect(label === null || labels.has(label)).toBe(true);
      expect(rating === null || (rating >= 1 && rating <= 10)).toBe(true);
      expect(json === null || labels.has(json.verdict)).toBe(true);
      if (label !== null || rating !== null) parsedSomething += 1;
    }
    // The fragments make labels likely: the fuzz must exercise the matching paths, not only misses.
    expect(parsedSomething).toBeGreaterThan(300);
  });

  // Non-strings (from untyped callers) and long repetitive inputs that stress backtracking.
  const odd: unknown[] = [undefined, null, 42, {}, "x".repeat(200_000), "VERDICT A ".repeat(20_000), "```".repeat(20_000), "{".repeat(50_000)];
  it.each(odd.map((v) => [v]))("on odd input %#", (input) => {
    expect(() => parsePairwiseVerdict(input as string)).not.toThrow();
    expect(() => parseRating(input as string)).not.toThrow();
    expect(() => parseJsonVerdict(input as string)).not.toThrow();
  });
});
