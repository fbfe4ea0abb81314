// Kappa implementations against published and hand-worked examples; per-judge quality statistics and
// inter-juror agreement on small hand-built record sets.
import { describe, expect, it } from "vitest";
import { cohenKappa, fleissKappa } from "../../judges/kappa.js";
import { agreementReport, battleCategories, judgeQuality, type JudgmentRecord } from "../../judges/agreement.js";
import type { PairwiseLabel } from "../../judges/labels.js";

const repeat = <T>(x: T, n: number): T[] => Array.from({ length: n }, () => x);

describe("cohenKappa", () => {
  // Wikipedia "Cohen's kappa" worked example: 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15.
  // po = 35/50 = 0.7; pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
  const wikiA = [...repeat("yes", 25), ...repeat("no", 25)];
  const wikiB = [...repeat("yes", 20), ...repeat("no", 5), ...repeat("yes", 10), ...repeat("no", 15)];
  // Hand-worked, three categories: po = 7/10; marginals 4/3/3 for both raters, pe = 0.34; kappa = 0.36 / 0.66 = 6/11.
  const handA = ["W", "W", "W", "T", "T", "L", "L", "L", "W", "T"];
  const handB = ["W", "W", "T", "T", "L", "L", "L", "W", "W", "T"];
  const cases: { name: string; a: string[]; b: string[]; want: number | null }[] = [
    { name: "Wikipedia 2x2 example", a: wikiA, b: wikiB, want: 0.4 },
    { name: "hand-worked 3 categories", a: handA, b: handB, want: 6 / 11 },
    { name: "perfect agreement", a: ["W", "L", "T"], b: ["W", "L", "T"], want: 1 },
    { name: "systematic disagreement", a: ["W", "L"], b: ["L", "W"], want: -1 },
    { name: "one category only: undefined", a: ["W", "W"], b: ["W", "W"], want: null },
    { name: "empty", a: [], b: [], want: null },
    { name: "length mismatch", a: ["W"], b: ["W", "L"], want: null },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const k = cohenKappa(tc.a, tc.b);
      if (tc.want === null) expect(k).toBeNull();
      else expect(k).toBeCloseTo(tc.want, 12);
    });
  }
});

describe("fleissKappa", () => {
  // Fleiss (1971) as tabulated on Wikipedia: 10 subjects, 14 raters, 5 categories; P = 0.378, Pe = 0.213, kappa = 0.210.
  const wiki = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ];
  const cases: { name: string; counts: number[][]; want: number | null; digits: number }[] = [
    { name: "Wikipedia / Fleiss 1971 example", counts: wiki, want: 0.21, digits: 3 },
    { name: "perfect agreement", counts: [[2, 0], [0, 2]], want: 1, digits: 12 },
    { name: "every subject split", counts: [[1, 1], [1, 1]], want: -1, digits: 12 },
    // Hand-worked: P_i = 1/3, 1, 1/3 -> P = 5/9; p = 4/9, 1/9, 4/9 -> Pe = 33/81; kappa = (5/9 - 11/27) / (16/27) = 1/4.
    { name: "hand-worked 3 raters", counts: [[2, 1, 0], [0, 0, 3], [2, 0, 1]], want: 0.25, digits: 12 },
    { name: "unequal raters per subject", counts: [[2, 0], [1, 2]], want: null, digits: 12 },
    { name: "one rater", counts: [[1, 0], [0, 1]], want: null, digits: 12 },
    { name: "all in one category", counts: [[3, 0], [3, 0]], want: null, digits: 12 },
    { name: "no subjects", counts: [], want: null, digits: 12 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const k = fleissKappa(tc.counts);
      if (tc.want === null) expect(k).toBeNull();
      else expect(k).toBeCloseTo(tc.want, tc.digits);
    });
  }
});

function rec(judge: string, battleId: string, order: "AB" | "BA", label: PairwiseLabel | null, lenA = 10, lenB = 10): JudgmentRecord {
  return { judge, battleId, order, label, lenA, lenB };
}

describe("judgeQuality", () => {
  // j1, worked by hand (model A's score per game in parentheses):
  //  b1 lens 100/50: AB A>B (A wins, first shown wins, longer wins); BA B>A (A wins, first loses, longer wins) -> swap agree
  //  b2 equal lens:  AB A>>B (A wins, first wins); BA A>B (B wins, first wins)                                 -> swap disagree
  //  b3 lens 5/20:   AB A=B (tie, not decisive); BA unparsable                                                  -> no swap pair
  //  b4 lens 30/60:  AB B>A (B wins, first loses, longer wins); BA A=B retried as A>B (B wins, first wins, longer wins) -> agree
  // judgments 8, invalid 1; decisive 6, first wins 4; length-decisive 4, longer wins 4; swap pairs 3, agree 2.
  const records = [
    rec("j1", "b1", "AB", "A>B", 100, 50),
    rec("j1", "b1", "BA", "B>A", 100, 50),
    rec("j1", "b2", "AB", "A>>B"),
    rec("j1", "b2", "BA", "A>B"),
    rec("j1", "b3", "AB", "A=B", 5, 20),
    rec("j1", "b3", "BA", null, 5, 20),
    rec("j1", "b4", "AB", "B>A", 30, 60),
    rec("j1", "b4", "BA", "A=B", 30, 60),
    rec("j1", "b4", "BA", "A>B", 30, 60),
    rec("j0", "b1", "AB", null),
    rec("j0", "b1", "BA", null),
  ];
  const cases = [
    {
      judge: "j0",
      want: { judgments: 2, invalid: 2, invalidRate: 1, swapPairs: 0, swapAgreementRate: null, decisive: 0, firstPositionWinRate: null, lengthDecisive: 0, longerAnswerWinRate: null },
    },
    {
      judge: "j1",
      want: { judgments: 8, invalid: 1, invalidRate: 1 / 8, swapPairs: 3, swapAgreementRate: 2 / 3, decisive: 6, firstPositionWinRate: 4 / 6, lengthDecisive: 4, longerAnswerWinRate: 1 },
    },
  ];
  // Computed inside each test, not at collection time, so coverage (and mutation testing) sees it.
  const stats = () => judgeQuality(records);
  it("sorts judges by name", () => expect(stats().map((s) => s.judge)).toEqual(["j0", "j1"]));
  for (const tc of cases) {
    it(tc.judge, () => expect(stats().find((s) => s.judge === tc.judge)).toEqual({ judge: tc.judge, ...tc.want }));
  }
  it("a verbosity-biased judge shows a longer-answer win rate of 1 even when it contradicts position", () => {
    // Longer answer is model B in b1 and model A in b2; the judge always picks the longer one.
    const biased = [rec("v", "b1", "AB", "B>A", 10, 99), rec("v", "b1", "BA", "A>B", 10, 99), rec("v", "b2", "AB", "A>B", 99, 10)];
    const [s] = judgeQuality(biased);
    expect(s?.longerAnswerWinRate).toBe(1);
    expect(s?.firstPositionWinRate).toBeCloseTo(2 / 3, 12);
    expect(s?.swapAgreementRate).toBe(1);
  });
});

describe("agreementReport", () => {
  // Categories (model A's side), worked by hand:
  //        b1    b2    b3       b4
  //  j1    win   loss  tie      win
  //  j2    win   loss  win      loss   (b1 judged in both orders, A>>B and B>>A shown -> both favour A)
  //  j3    tie   loss  missing  win
  // j1-j2 over 4: po 1/2, pe 3/8 -> kappa 0.2. j1-j3 over 3: po 2/3, pe 1/3 -> 0.5. j2-j3 over 3: po 1/3, pe 1/3 -> 0.
  // Fleiss over b1, b2, b4: rows [2,1,0], [0,0,3], [2,0,1] -> 0.25 (see the fleissKappa table).
  const records = [
    rec("j1", "b1", "AB", "A>B"), rec("j2", "b1", "AB", "A>>B"), rec("j2", "b1", "BA", "B>>A"), rec("j3", "b1", "AB", "A=B"),
    rec("j1", "b2", "AB", "B>A"), rec("j2", "b2", "AB", "B>A"), rec("j3", "b2", "AB", "B>>A"),
    rec("j1", "b3", "AB", "A=B"), rec("j2", "b3", "AB", "A>B"), rec("j3", "b3", "AB", null),
    rec("j1", "b4", "AB", "A>B"), rec("j2", "b4", "AB", "B>A"), rec("j3", "b4", "AB", "A>B"),
  ];
  const report = () => agreementReport(records);
  const cases = [
    { judgeA: "j1", judgeB: "j2", battles: 4, rawAgreement: 0.5, kappa: 0.2 },
    { judgeA: "j1", judgeB: "j3", battles: 3, rawAgreement: 2 / 3, kappa: 0.5 },
    { judgeA: "j2", judgeB: "j3", battles: 3, rawAgreement: 1 / 3, kappa: 0 },
  ];
  it("lists each pair once, in name order", () => expect(report().pairs.map((p) => `${p.judgeA}-${p.judgeB}`)).toEqual(["j1-j2", "j1-j3", "j2-j3"]));
  for (const tc of cases) {
    it(`Cohen ${tc.judgeA}-${tc.judgeB}`, () => {
      const p = report().pairs.find((x) => x.judgeA === tc.judgeA && x.judgeB === tc.judgeB);
      expect(p?.battles).toBe(tc.battles);
      expect(p?.rawAgreement).toBeCloseTo(tc.rawAgreement, 12);
      expect(p?.kappa).toBeCloseTo(tc.kappa, 12);
    });
  }
  it("Fleiss over battles every judge rated", () => {
    const { fleiss } = report();
    expect(fleiss.judges).toEqual(["j1", "j2", "j3"]);
    expect(fleiss.battles).toBe(3);
    expect(fleiss.kappa).toBeCloseTo(0.25, 12);
  });
  it("includes per-judge quality", () => expect(report().judges.map((j) => j.judgments)).toEqual([4, 5, 4]));
  it("a judge whose two orders contradict each other counts as a tie", () => {
    const cats = battleCategories([rec("j", "b", "AB", "A>B"), rec("j", "b", "BA", "A>B")]);
    expect(cats.get("j")?.get("b")).toBe("tie");
  });
  it("a single judge has no Fleiss kappa", () => {
    const r = agreementReport([rec("solo", "b", "AB", "A>B")]);
    expect(r.fleiss).toEqual({ judges: ["solo"], battles: 0, kappa: null });
    expect(r.pairs).toEqual([]);
  });
});
