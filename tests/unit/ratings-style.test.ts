// Style control: markdown/length counting, the per-battle feature, a planted verbose model whose wins come
// from length, and agreement with plain BT when style carries no information.
import { describe, expect, it } from "vitest";
import type { Battle } from "../../reports/battle-log.js";
import { computeBradleyTerry } from "../../reports/bradley-terry.js";
import { computeLeaderboard } from "../../reports/leaderboard.js";
import { computeStyleControl } from "../../reports/style-control.js";
import { styleDiff, styleFeatures, type StyleCounts } from "../../reports/style-features.js";
import { randomInt, xoshiroRng } from "../../lib/random.js";

describe("styleFeatures", () => {
  const answer = [
    "# Title",
    "Some **bold** text and __more bold__, not *italic* bold.",
    "## Sub",
    "#not a header (no space)",
    "- item one",
    "  * nested item",
    "1. first",
    "10. tenth",
    "```python",
    "# a comment, not a header",
    "- not a list",
    "**not bold**",
    "```",
    "Trailing **bold** again.",
  ].join("\n");
  const cases: { name: string; text: string; expected: StyleCounts }[] = [
    { name: "plain", text: "abc", expected: { length: 3, headers: 0, listItems: 0, bold: 0 } },
    { name: "empty", text: "", expected: { length: 0, headers: 0, listItems: 0, bold: 0 } },
    { name: "markdown with a code block", text: answer, expected: { length: answer.length, headers: 2, listItems: 4, bold: 3 } },
  ];
  it.each(cases)("$name", ({ text, expected }) => {
    expect(styleFeatures(text)).toEqual(expected);
  });

  it("has length = characters (hand count)", () => {
    expect(styleFeatures("## Hi\n- a").length).toBe(9);
  });
});

describe("styleDiff: (a - b) / (a + b + 1) per feature", () => {
  const cases = [
    { a: { length: 100, headers: 2, listItems: 0, bold: 1 }, b: { length: 50, headers: 0, listItems: 0, bold: 1 }, expected: [50 / 151, 2 / 3, 0, 0] },
    { a: { length: 0, headers: 0, listItems: 3, bold: 0 }, b: { length: 9, headers: 1, listItems: 0, bold: 4 }, expected: [-9 / 10, -1 / 2, 3 / 4, -4 / 5] },
  ];
  it.each(cases)("%#", ({ a, b, expected }) => {
    styleDiff(a, b).forEach((x, k) => expect(x).toBeCloseTo(expected[k] ?? Number.NaN, 12));
    styleDiff(b, a).forEach((x, k) => expect(x).toBeCloseTo(-(expected[k] ?? Number.NaN), 12));
  });
});

/** Four equally strong models; "verbose" writes ~3x longer answers and judges reward length. */
function plantedBattles(n: number, seed: number): Battle[] {
  const rng = xoshiroRng(seed);
  const models = ["verbose", "p", "q", "r"];
  const style = (m: string): StyleCounts => ({
    length: (m === "verbose" ? 900 : 300) + randomInt(rng, 400),
    headers: randomInt(rng, 3),
    listItems: randomInt(rng, 5),
    bold: randomInt(rng, 3),
  });
  const battles: Battle[] = [];
  for (let k = 0; k < n; k++) {
    const i = randomInt(rng, 4);
    const j = (i + 1 + randomInt(rng, 3)) % 4;
    const modelA = models[i] ?? "p";
    const modelB = models[j] ?? "q";
    const styleA = style(modelA);
    const styleB = style(modelB);
    const lengthFeature = (styleA.length - styleB.length) / (styleA.length + styleB.length + 1);
    const pA = 1 / (1 + Math.exp(-3 * lengthFeature));
    battles.push({ modelA, modelB, outcome: rng() < pA ? 1 : 0, styleA, styleB });
  }
  return battles;
}

describe("planted verbose model", () => {
  const battles = plantedBattles(4000, 21);
  const plain = computeBradleyTerry(battles);
  const styled = computeStyleControl(battles);
  const plainOf = (m: string): number => plain.ratings[plain.models.indexOf(m)] ?? Number.NaN;
  const styledOf = (m: string): number => styled.ratings[styled.models.indexOf(m)] ?? Number.NaN;

  it("tops the plain board by a wide margin", () => {
    for (const m of ["p", "q", "r"]) expect(plainOf("verbose") - plainOf(m)).toBeGreaterThan(150);
  });

  it("loses most of its lead once length is controlled, with a positive length coefficient", () => {
    expect(styledOf("verbose")).toBeLessThan(plainOf("verbose") - 100);
    for (const m of ["p", "q", "r"]) expect(Math.abs(styledOf("verbose") - styledOf(m))).toBeLessThan(60);
    expect(styled.coefficients.length).toBeGreaterThan(0.3);
    for (const f of ["headers", "listItems", "bold"] as const) expect(Math.abs(styled.coefficients[f])).toBeLessThan(0.1);
  });

  it("is what computeLeaderboard reports with styleControl", () => {
    const board = computeLeaderboard([...battles, { modelA: "p", modelB: "q", outcome: 1 }], { method: "bt", styleControl: true, bootstrap: 5 });
    expect(board.style?.battles).toBe(4000);
    expect(board.style?.skipped).toBe(1);
    expect(board.style?.coefficients.length).toBeCloseTo(styled.coefficients.length, 6);
    expect(board.items.find((i) => i.model === "verbose")?.rating).toBeCloseTo(styledOf("verbose"), 6);
  });
});

it("equals plain BT with the same penalty when every answer has the same style", () => {
  const same: StyleCounts = { length: 10, headers: 1, listItems: 0, bold: 2 };
  const rng = xoshiroRng(8);
  const names = ["a", "b", "c"];
  const battles: Battle[] = Array.from({ length: 90 }, () => {
    const i = randomInt(rng, 3);
    const j = (i + 1 + randomInt(rng, 2)) % 3;
    return { modelA: names[i] ?? "a", modelB: names[j] ?? "b", outcome: [0, 0.5, 1][randomInt(rng, 3)] ?? 1, styleA: same, styleB: same };
  });
  const styled = computeStyleControl(battles, { reg: 0.01 });
  const plain = computeBradleyTerry(battles, { prior: 0.01 });
  for (const m of names) {
    expect(styled.ratings[styled.models.indexOf(m)]).toBeCloseTo(plain.ratings[plain.models.indexOf(m)] ?? 0, 5);
  }
  expect(Object.values(styled.coefficients)).toEqual([0, 0, 0, 0]);
});
