// Export-wide selection policies (curriculum, dedup, provenance, summary, input checks) on small
// planted groups. Expected values are worked out by hand in the comments or from the closed form
// of the curriculum acceptance 1 - p (5 - c) / 5.
import { describe, expect, it } from "vitest";
import {
  createSelector,
  curriculumAcceptance,
  type DpoRow,
  type InstructionGroup,
  type SftRow,
  withDefaults,
} from "../../src/exports/select.js";
import { xoshiroRng } from "../../lib/random.js";

function group(id: string, complexity: number | null, texts: Record<string, string>, over: Partial<InstructionGroup> = {}): InstructionGroup {
  return {
    instruction: { id, messages: [{ role: "user", content: `Question ${id}` }], category: "cat", complexity, source: "planted" },
    target: "T",
    answers: Object.entries(texts).map(([model, text]) => ({ model, responseId: `${id}-${model}`, text })),
    // A beats T (margin 0.9), B beats T (margin 0.4): two DPO pairs, T pooled 0.1 -> SFT row with A.
    battles: [
      { battleId: `${id}-1`, roundId: "r1", iterationId: "it1", modelA: "A", modelB: "T", outcome: 0.9, margin: 0.9, judges: ["j1"], promptVersions: ["pv1"] },
      { battleId: `${id}-2`, roundId: "r1", iterationId: null, modelA: "T", modelB: "B", outcome: 0.1, margin: 0.4, judges: ["j2"], promptVersions: ["pv1"], judgeScores: [{ judge: "j2", outcome: 0.1 }] },
    ],
    ...over,
  };
}
const TEXTS = { T: "T says five", A: "A says four", B: "B says 4" };

describe("withDefaults: unset options get the defaults the selector documents, set ones pass through", () => {
  const cases: { name: string; input: Parameters<typeof withDefaults>[0]; want: ReturnType<typeof withDefaults> }[] = [
    {
      name: "nothing set",
      input: {},
      want: { minMargin: 0, onlyTargetLoses: false, perCategoryCap: undefined, curriculum: undefined, dedup: false, includeOpponentPairs: false, lossRule: "pooled", ktoEpsilon: 0.05 },
    },
    {
      name: "everything set",
      input: { minMargin: 0.4, onlyTargetLoses: true, perCategoryCap: 3, curriculum: { iteration: 2, totalIterations: 4 }, dedup: true, includeOpponentPairs: true, lossRule: "any-loss", ktoEpsilon: 0.1 },
      want: { minMargin: 0.4, onlyTargetLoses: true, perCategoryCap: 3, curriculum: { iteration: 2, totalIterations: 4 }, dedup: true, includeOpponentPairs: true, lossRule: "any-loss", ktoEpsilon: 0.1 },
    },
    {
      name: "zero and false are kept, not replaced",
      input: { minMargin: 0, perCategoryCap: 0, dedup: false, ktoEpsilon: 0 },
      want: { minMargin: 0, onlyTargetLoses: false, perCategoryCap: 0, curriculum: undefined, dedup: false, includeOpponentPairs: false, lossRule: "pooled", ktoEpsilon: 0 },
    },
  ];
  for (const tc of cases) it(tc.name, () => expect(withDefaults(tc.input)).toEqual(tc.want));
});

describe("curriculum acceptance (closed form 1 - p(5 - c)/5, p = (i - 1)/(n - 1))", () => {
  const cases: [number | null, number, number, number][] = [
    [1, 1, 3, 1],
    [1, 3, 3, 0.2],
    [2, 3, 3, 0.4],
    [5, 3, 3, 1],
    [null, 3, 3, 0.6],
    [1, 2, 3, 0.6],
    [4, 2, 3, 0.9],
    [3, 1, 1, 1],
    [9, 3, 3, 1],
  ];
  for (const [c, i, n, want] of cases) {
    it(`complexity ${c}, iteration ${i}/${n} -> ${want}`, () => {
      expect(curriculumAcceptance(c, i, n)).toBeCloseTo(want, 12);
    });
  }

  const gated: { name: string; iteration: number; r: number; kept: string[]; draws: number }[] = [
    // complexities 1, 3, 5, null; iteration 3/3 gives 0.2, 0.6, 1, 0.6; kept iff r < acceptance.
    { name: "first iteration keeps all", iteration: 1, r: 0.99, kept: ["c1", "c3", "c5", "cn"], draws: 4 },
    { name: "last iteration, r=0.5", iteration: 3, r: 0.5, kept: ["c3", "c5", "cn"], draws: 4 },
    { name: "last iteration, r=0.1", iteration: 3, r: 0.1, kept: ["c1", "c3", "c5", "cn"], draws: 4 },
    { name: "middle iteration (0.6, 0.8, 1, 0.8), r=0.7", iteration: 2, r: 0.7, kept: ["c3", "c5", "cn"], draws: 4 },
  ];
  for (const tc of gated) {
    it(`gates whole groups: ${tc.name}`, () => {
      let draws = 0;
      const rng = () => {
        draws += 1;
        return tc.r;
      };
      const sel = createSelector("sft", { curriculum: { iteration: tc.iteration, totalIterations: 3 } }, rng);
      const groups = [group("c1", 1, TEXTS), group("c3", 3, TEXTS), group("c5", 5, TEXTS), group("cn", null, TEXTS)];
      const kept = groups.flatMap((g) => sel.next(g)).map((r) => r.provenance.instructionId);
      expect(kept).toEqual(tc.kept);
      expect(draws).toBe(tc.draws);
      expect(sel.summary().skipped.curriculum ?? 0).toBe(4 - tc.kept.length);
    });
  }

  it("with a seeded generator, the last iteration keeps about 1 in 5 complexity-1 groups", () => {
    const sel = createSelector("sft", { curriculum: { iteration: 4, totalIterations: 4 } }, xoshiroRng(7));
    const n = 4000;
    let kept = 0;
    for (let i = 0; i < n; i++) kept += sel.next(group(`g${i}`, 1, TEXTS)).length;
    // Binomial(4000, 0.2): sd = sqrt(4000 * 0.16) ~ 25; allow 4 sd.
    expect(Math.abs(kept - 800)).toBeLessThan(100);
  });
});

describe("dedup", () => {
  const variants: { name: string; texts: Record<string, string>; prompt?: string; dedup: boolean; rows: number }[] = [
    { name: "identical texts are dropped", texts: TEXTS, dedup: true, rows: 0 },
    { name: "case and whitespace differences are dropped", texts: { T: "  t SAYS   five", A: "A says\n four", B: "B  says 4" }, dedup: true, rows: 0 },
    { name: "a different chosen text is kept, the unchanged pair dropped", texts: { ...TEXTS, A: "A says 2+2=4" }, dedup: true, rows: 1 },
    { name: "a different prompt is kept", texts: TEXTS, prompt: "Another question", dedup: true, rows: 2 },
    { name: "without dedup everything is kept", texts: TEXTS, dedup: false, rows: 2 },
  ];
  for (const tc of variants) {
    it(tc.name, () => {
      const sel = createSelector("dpo", { dedup: tc.dedup }, () => 0);
      expect(sel.next(group("first", 3, TEXTS))).toHaveLength(2);
      const second = group("second", 3, tc.texts);
      second.instruction.messages = [{ role: "user", content: tc.prompt ?? "question  FIRST" }];
      expect(sel.next(second)).toHaveLength(tc.rows);
      const s = sel.summary();
      expect(s.skipped.duplicate ?? 0).toBe(tc.dedup ? 2 - tc.rows : 0);
      expect(s.dedupHashes).toBe(tc.dedup ? 2 + tc.rows : 0);
    });
  }
});

describe("provenance and summary", () => {
  it("an SFT row carries iteration, round, battles, models, judges, prompt versions, scores, margin", () => {
    const [row] = createSelector("sft", {}, () => 0).next(group("p1", 2, TEXTS)) as SftRow[];
    expect(row?.completion.model).toBe("A");
    expect(row?.provenance).toEqual({
      instructionId: "p1",
      category: "cat",
      complexity: 2,
      source: "planted",
      target: "T",
      iterationIds: ["it1", null],
      roundIds: ["r1"],
      battles: [
        { battleId: "p1-1", roundId: "r1", iterationId: "it1", modelA: "A", modelB: "T", outcome: 0.9, margin: 0.9 },
        { battleId: "p1-2", roundId: "r1", iterationId: null, modelA: "T", modelB: "B", outcome: 0.1, margin: 0.4, judgeScores: [{ judge: "j2", outcome: 0.1 }] },
      ],
      models: ["A", "B", "T"],
      judges: ["j1", "j2"],
      promptVersions: ["pv1"],
      // T: (0.1 + 0.1)/2 = 0.1; A: 0.9; B: 0.9. Tie between A and B at 0.9 goes to name order: A.
      scores: { A: 0.9, T: expect.closeTo(0.1, 12), B: expect.closeTo(0.9, 12) },
      // The chosen opponent A beat T directly with margin 0.9.
      margin: 0.9,
    });
  });

  it("a DPO row's provenance is its own battle", () => {
    const rows = createSelector("dpo", {}, () => 0).next(group("p2", 2, TEXTS)) as DpoRow[];
    expect(rows.map((r) => [r.provenance.battles.map((b) => b.battleId), r.provenance.models, r.provenance.judges, r.provenance.margin])).toEqual([
      [["p2-1"], ["A", "T"], ["j1"], 0.9],
      [["p2-2"], ["B", "T"], ["j2"], 0.4],
    ]);
  });

  it("summary counts rows per category and the names seen; bad input is counted, not thrown", () => {
    const sel = createSelector("dpo", {}, () => 0);
    sel.next(group("s1", 2, TEXTS));
    sel.next(group("s2", 2, TEXTS, { instruction: { id: "s2", messages: [{ role: "assistant", content: "hi" }], category: "cat", complexity: 1, source: null } }));
    const orphan = group("s3", 2, { T: "t", A: "a" });
    sel.next(orphan);
    sel.next(group("s4", 2, TEXTS, { instruction: { id: "s4", messages: [{ role: "user", content: "q" }], category: null, complexity: 1, source: null } }));
    expect(sel.summary()).toEqual({
      kind: "dpo",
      groups: 4,
      rows: 5,
      perCategory: { cat: 3, uncategorized: 2 },
      skipped: { "bad-prompt": 1, "missing-answer": 1 },
      models: ["A", "B", "T"],
      judges: ["j1", "j2"],
      promptVersions: ["pv1"],
      roundIds: ["r1"],
      iterationIds: ["it1"],
      dedupHashes: 0,
    });
  });

  const bad: [string, Parameters<typeof createSelector>[1]][] = [
    ["minMargin above 1", { minMargin: 1.5 }],
    ["negative cap", { perCategoryCap: -1 }],
    ["fractional cap", { perCategoryCap: 1.5 }],
    ["ktoEpsilon 0.5", { ktoEpsilon: 0.5 }],
    ["iteration 0", { curriculum: { iteration: 0, totalIterations: 3 } }],
  ];
  for (const [name, options] of bad) {
    it(`rejects options: ${name}`, () => {
      expect(() => createSelector("sft", options, () => 0)).toThrow(RangeError);
    });
  }
});
