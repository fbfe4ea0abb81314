// Human review's pure parts, table-driven against hand-computed values: the human majority, MT-bench
// agreement (with and without ties) and Cohen's kappa between a judge and people, human-human
// agreement, the review queue's priority and blind order, and parsing imported label lines.
import { describe, expect, it } from "vitest";
import { agreementCounts, humanHumanAgreement, humanMajority, humanVote, type HumanVerdict, type HumanVoteRecord, judgeHumanAgreement } from "../../judges/human-agreement.js";
import type { OutcomeCategory, PairwiseLabel } from "../../judges/labels.js";
import { blindSwapped, orderQueue, reviewPriority, type ReviewGame, unblind } from "../../battles/review-plan.js";
import { parseLabelLine } from "../../battles/review-lines.js";

describe("humanVote and humanMajority", () => {
  it("maps verdicts to votes from model A's side (both-bad is a tie, as Chatbot Arena's 'tie (bothbad)')", () => {
    expect((["A", "B", "tie", "both-bad"] as const).map(humanVote)).toEqual(["win", "loss", "tie", "tie"]);
  });
  const cases: { verdicts: HumanVerdict[]; want: number | null }[] = [
    { verdicts: [], want: null },
    { verdicts: ["A"], want: 1 },
    { verdicts: ["B"], want: 0 },
    { verdicts: ["tie"], want: 0.5 },
    { verdicts: ["both-bad"], want: 0.5 },
    // Split people: no single category has the most votes, so a tie.
    { verdicts: ["A", "B"], want: 0.5 },
    { verdicts: ["A", "tie"], want: 0.5 },
    { verdicts: ["A", "A", "B"], want: 1 },
    // tie and both-bad are one camp of two against one A.
    { verdicts: ["A", "tie", "both-bad"], want: 0.5 },
    { verdicts: ["B", "B", "tie", "A"], want: 0 },
  ];
  for (const tc of cases) {
    it(`majority of [${tc.verdicts.join(", ")}] is ${tc.want}`, () => expect(humanMajority(tc.verdicts)).toBe(tc.want));
  }
});

describe("MT-bench agreement", () => {
  // Judge votes on b1..b4; b5 has no judge vote and is left out of judge-human pairs.
  const judge = new Map<string, OutcomeCategory>([["b1", "win"], ["b2", "tie"], ["b3", "loss"], ["b4", "win"]]);
  const h = (battleId: string, reviewer: string, vote: OutcomeCategory): HumanVoteRecord => ({ battleId, reviewer, vote });
  const humans = [h("b1", "r1", "win"), h("b1", "r2", "loss"), h("b2", "r1", "tie"), h("b2", "r2", "tie"), h("b3", "r1", "loss"), h("b3", "r2", "win"), h("b4", "r1", "tie"), h("b5", "r1", "win")];

  it("judge vs humans: every (judge vote, human vote) pair, ties dropped pairwise for 'without ties'", () => {
    // Pairs: (w,w) (w,l) (t,t) (t,t) (l,l) (l,w) (w,t): 4 of 7 agree. Without a tie on either side:
    // (w,w) (w,l) (l,l) (l,w): 2 of 4. Kappa: po = 4/7; judge marginals w3 t2 l2, human w2 t3 l2;
    // pe = (3*2 + 2*3 + 2*2) / 49 = 16/49; kappa = (28/49 - 16/49) / (33/49) = 12/33 = 4/11.
    const got = judgeHumanAgreement(judge, humans);
    expect(got).toEqual({ pairs: 7, withTies: 4 / 7, pairsWithoutTies: 4, withoutTies: 0.5, battles: 4, kappa: expect.closeTo(4 / 11, 12) });
  });

  it("human vs human: every pair of two reviewers on one battle", () => {
    // b1 (w,l) no, b2 (t,t) yes, b3 (l,w) no: 1 of 3; without ties (w,l) (l,w): 0 of 2.
    expect(humanHumanAgreement(humans)).toEqual({ pairs: 3, withTies: 1 / 3, pairsWithoutTies: 2, withoutTies: 0, battles: 3 });
  });

  it("three reviewers on one battle give three pairs", () => {
    // (w,w) yes, (w,t) no, (w,t) no: 1 of 3; without ties only (w,w): 1 of 1.
    const three = [h("b1", "r1", "win"), h("b1", "r2", "win"), h("b1", "r3", "tie")];
    expect(humanHumanAgreement(three)).toEqual({ pairs: 3, withTies: 1 / 3, pairsWithoutTies: 1, withoutTies: 1, battles: 1 });
  });

  it("nothing to compare gives nulls, never NaN", () => {
    expect(agreementCounts([], [])).toEqual({ pairs: 0, withTies: null, pairsWithoutTies: 0, withoutTies: null });
    expect(judgeHumanAgreement(new Map(), humans)).toEqual({ pairs: 0, withTies: null, pairsWithoutTies: 0, withoutTies: null, battles: 0, kappa: null });
    expect(agreementCounts(["tie"], ["win"])).toEqual({ pairs: 1, withTies: 0, pairsWithoutTies: 0, withoutTies: null });
  });
});

describe("reviewPriority", () => {
  const g = (judge: string, ab: PairwiseLabel | null, ba: PairwiseLabel | null): ReviewGame[] => [
    { judge, order: "AB", label: ab },
    { judge, order: "BA", label: ba },
  ];
  // In the BA game model B is shown first, so "B>A" there is a vote for model A.
  const cases: { name: string; games: ReviewGame[]; rule?: "soft" | "strict"; want: string }[] = [
    { name: "no pairwise games (single grading)", games: [], want: "sample" },
    { name: "one consistent judge", games: g("j1", "A>B", "B>A"), want: "sample" },
    { name: "one judge whose orders disagree", games: g("j1", "A>B", "A>B"), want: "swap-inconsistency" },
    { name: "two consistent judges favouring different models", games: [...g("j1", "A>B", "B>A"), ...g("j2", "B>A", "A>B")], want: "jury-disagreement" },
    { name: "two judges agreeing, one game each invalid", games: [...g("j1", "A>B", null), ...g("j2", null, "B>>A")], want: "sample" },
    { name: "a swap-inconsistent judge (a tie) against a winner is a jury disagreement", games: [...g("j1", "A>B", "B>A"), ...g("j2", "A>B", "A>B")], want: "jury-disagreement" },
    // j2: A>>B then A=B (scores 1 and 0.5): soft combines to 0.75 (a win, as j1), strict to a tie.
    { name: "soft rule: half-agreement still a win", games: [...g("j1", "A>B", "B>A"), ...g("j2", "A>>B", "A=B")], rule: "soft", want: "swap-inconsistency" },
    { name: "strict rule: half-agreement is a tie", games: [...g("j1", "A>B", "B>A"), ...g("j2", "A>>B", "A=B")], rule: "strict", want: "jury-disagreement" },
  ];
  for (const tc of cases) it(tc.name, () => expect(reviewPriority(tc.games, tc.rule)).toBe(tc.want));
});

describe("blind order", () => {
  it("unblind swaps A and B only when the reviewer saw them swapped", () => {
    const cases: { choice: "A" | "B" | "tie" | "both-bad"; swapped: boolean; want: string }[] = [
      { choice: "A", swapped: false, want: "A" },
      { choice: "A", swapped: true, want: "B" },
      { choice: "B", swapped: true, want: "A" },
      { choice: "tie", swapped: true, want: "tie" },
      { choice: "both-bad", swapped: true, want: "both-bad" },
    ];
    for (const tc of cases) expect(unblind(tc.choice, tc.swapped)).toBe(tc.want);
  });

  it("is stable per (reviewer, battle), differs between reviewers, and is near half swapped", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => i + 1);
    const r1 = ids.map((id) => blindSwapped("key-1", id));
    expect(ids.map((id) => blindSwapped("key-1", id))).toEqual(r1);
    const share = r1.filter(Boolean).length / ids.length;
    // Binomial(2000, 0.5): sd ~ 0.011; 0.45..0.55 is > 4 sd either side.
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    const r2 = ids.map((id) => blindSwapped("key-2", id));
    expect(r2.filter((x, i) => x !== r1[i]).length).toBeGreaterThan(800);
  });

  it("orders the queue by tier first, then by a per-reviewer seeded order", () => {
    const cands = Array.from({ length: 30 }, (_, i) => ({ battleId: i + 1, priority: (["sample", "swap-inconsistency", "jury-disagreement"] as const)[i % 3] ?? "sample" }));
    const a = orderQueue(cands, "round-1", "key-1");
    const tiers = a.map((c) => c.priority);
    expect(tiers).toEqual([...Array(10).fill("jury-disagreement"), ...Array(10).fill("swap-inconsistency"), ...Array(10).fill("sample")]);
    expect(orderQueue(cands, "round-1", "key-1")).toEqual(a);
    const b = orderQueue(cands, "round-1", "key-2");
    expect(b.map((c) => c.battleId)).not.toEqual(a.map((c) => c.battleId));
    expect(new Set(b.map((c) => c.battleId)).size).toBe(30);
  });
});

describe("parseLabelLine", () => {
  const cases: { name: string; line: string; want: Record<string, unknown> | string }[] = [
    { name: "minimal", line: '{"battleId":7,"reviewer":"alice","verdict":"A"}', want: { battleId: 7, reviewer: "alice", reviewerKind: "import", verdict: "A", note: null } },
    { name: "id as a string, kind key, note", line: '{"battleId":"12","reviewer":"k1","reviewerKind":"key","verdict":"both-bad","note":"both wrong"}', want: { battleId: 12, reviewer: "k1", reviewerKind: "key", verdict: "both-bad", note: "both wrong" } },
    { name: "an exported line", line: '{"roundId":"r","battleId":3,"reviewerKind":"import","reviewer":"bob","verdict":"tie","note":null,"modelA":"m1","modelB":"m2","createdAt":"x","updatedAt":"y"}', want: { battleId: 3, reviewer: "bob", reviewerKind: "import", verdict: "tie", note: null, roundId: "r", modelA: "m1", modelB: "m2" } },
    { name: "not JSON", line: "{", want: "invalid JSON" },
    { name: "an array", line: "[1]", want: "line: must be a JSON object" },
    { name: "battle id 0", line: '{"battleId":0,"reviewer":"a","verdict":"A"}', want: "battleId" },
    { name: "battle id not an integer string", line: '{"battleId":"1e3","reviewer":"a","verdict":"A"}', want: "battleId" },
    { name: "unknown verdict", line: '{"battleId":1,"reviewer":"a","verdict":"C"}', want: "verdict" },
    { name: "empty reviewer", line: '{"battleId":1,"reviewer":"","verdict":"A"}', want: "reviewer" },
    { name: "NUL in the reviewer", line: '{"battleId":1,"reviewer":"a\\u0000b","verdict":"A"}', want: "reviewer" },
    { name: "lone surrogate in the note", line: '{"battleId":1,"reviewer":"a","verdict":"A","note":"\\ud800"}', want: "note" },
    { name: "note too long", line: JSON.stringify({ battleId: 1, reviewer: "a", verdict: "A", note: "x".repeat(4001) }), want: "note" },
    { name: "an unknown field", line: '{"battleId":1,"reviewer":"a","verdict":"A","winner":"model_a"}', want: "line" },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const got = parseLabelLine(tc.line);
      if (typeof tc.want === "string") {
        expect(got.ok).toBe(false);
        if (!got.ok) expect(got.reason.startsWith(tc.want)).toBe(true);
      } else expect(got).toEqual({ ok: true, label: tc.want });
    });
  }
});
