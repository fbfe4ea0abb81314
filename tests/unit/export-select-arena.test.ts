// Arena Learning selection on a planted set of instruction groups whose pooled scores were worked
// out by hand (see the comment above each group). Every expected count below comes from that table.
import { describe, expect, it } from "vitest";
import {
  createSelector,
  type DpoRow,
  type GroupBattle,
  type InstructionGroup,
  type KtoRow,
  type RewardRow,
  type SelectionKind,
  type SelectionOptions,
  type SelectionRow,
  type SftRow,
} from "../../src/exports/select.js";

type BattleOpts = Partial<Pick<GroupBattle, "roundId" | "iterationId" | "judges" | "promptVersions">>;
function battle(id: string, a: string, b: string, outcome: number, margin: number, o: BattleOpts = {}): GroupBattle {
  return {
    battleId: id,
    roundId: o.roundId ?? "r1",
    iterationId: o.iterationId === undefined ? "it1" : o.iterationId,
    modelA: a,
    modelB: b,
    outcome,
    margin,
    judges: o.judges ?? ["j1"],
    promptVersions: o.promptVersions ?? ["pv1"],
  };
}
const answers = (gid: string, models: string[]) =>
  models.map((m) => ({ model: m, responseId: `${gid}-${m}`, text: `${m} answer to ${gid}` }));
const user = (content: string) => [{ role: "user" as const, content }];

// G1 math c2: T = (0 + 0.25)/2 = 0.125, A = (1 + 1)/2 = 1, B = (0.75 + 0)/2 = 0.375. T lost; best opponent A.
const G1: InstructionGroup = {
  instruction: { id: "g1", messages: user("Integrate x^2."), category: "math", complexity: 2, source: "planted" },
  target: "T",
  answers: answers("g1", ["T", "A", "B"]),
  battles: [
    battle("b1", "T", "A", 0.0, 1.0, { judges: ["j1", "j2"] }),
    battle("b2", "B", "T", 0.75, 0.5, { judges: ["j2"], promptVersions: ["pv2"] }),
    battle("b3", "A", "B", 1.0, 0.9, { judges: ["j3"] }),
  ],
};
// G2 code c4: T = (1 + 0.5)/2 = 0.75, A = 0, C = 0.5. T did not lose; b5 is a tie.
const G2: InstructionGroup = {
  instruction: { id: "g2", messages: user("Reverse a list."), category: "code", complexity: 4, source: "planted" },
  target: "T",
  answers: answers("g2", ["T", "A", "C"]),
  battles: [battle("b4", "T", "A", 1.0, 0.8), battle("b5", "C", "T", 0.5, 0.0)],
};
// G3 math c5, multi-turn, round r2 / iteration it2: T = (0.3 + 0.6)/2 = 0.45, B = (0.7 + 0.8)/2 = 0.75,
// C = (0.4 + 0.2)/2 = 0.3. T lost on balance; best opponent B; T beat C (on-policy chosen).
const G3: InstructionGroup = {
  instruction: {
    id: "g3",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "What is 2+2?" },
      { role: "assistant", content: "4." },
      { role: "user", content: "And times 3?" },
    ],
    category: "math",
    complexity: 5,
    source: "planted",
  },
  target: "T",
  answers: answers("g3", ["T", "B", "C"]),
  battles: [
    battle("b6", "T", "B", 0.3, 0.2, { roundId: "r2", iterationId: "it2" }),
    battle("b7", "T", "C", 0.6, 0.1, { roundId: "r2", iterationId: "it2" }),
    battle("b8", "B", "C", 0.8, 0.6, { roundId: "r2", iterationId: "it2" }),
  ],
};
// G4 writing, complexity null, no target: A = 0.25, B = 0.75.
const G4: InstructionGroup = {
  instruction: { id: "g4", messages: user("A haiku."), category: "writing", complexity: null, source: "planted" },
  answers: answers("g4", ["A", "B"]),
  battles: [battle("b9", "A", "B", 0.25, 0.5)],
};
// G5 code c3: no battles at all.
const G5: InstructionGroup = {
  instruction: { id: "g5", messages: user("Sort."), category: "code", complexity: 3, source: "planted" },
  target: "T",
  answers: answers("g5", ["T", "A"]),
  battles: [],
};
// G6 code c3: T = (0.9 + 0.4)/2 = 0.65, A = (0.1 + 0)/2 = 0.05, C = (0.6 + 1)/2 = 0.8.
// T wins on balance but lost b11 to C, and C out-scores T: only the "any-loss" rule yields SFT here.
const G6: InstructionGroup = {
  instruction: { id: "g6", messages: user("Parse JSON."), category: "code", complexity: 3, source: "planted" },
  target: "T",
  answers: answers("g6", ["T", "A", "C"]),
  battles: [battle("b10", "T", "A", 0.9, 0.8), battle("b11", "T", "C", 0.4, 0.3), battle("b12", "C", "A", 1.0, 0.9)],
};
const GROUPS = [G1, G2, G3, G4, G5, G6];

function run(kind: SelectionKind, options: SelectionOptions, groups = GROUPS, rng: () => number = () => 0) {
  const selector = createSelector(kind, options, rng);
  const rows: SelectionRow[] = groups.flatMap((g) => selector.next(g));
  return { rows, summary: selector.summary() };
}
const dpoIds = (rows: SelectionRow[]) => (rows as DpoRow[]).map((r) => r.provenance.battles.map((b) => b.battleId).join());
const sftPicks = (rows: SelectionRow[]) =>
  (rows as SftRow[]).map((r) => `${r.provenance.instructionId}:${r.completion.model}:${r.provenance.margin}`);

describe("SFT selection", () => {
  const cases: { name: string; options: SelectionOptions; picks: string[]; skipped: Record<string, number> }[] = [
    {
      name: "default: pooled loss, best opponent by pooled score",
      options: {},
      picks: ["g1:A:1", "g3:B:0.2", "g4:B:0.5"],
      skipped: { "target-not-lost": 2, "no-battles": 1 },
    },
    {
      name: "any-loss rule adds g6 (lost b11 to C, C out-scores T)",
      options: { lossRule: "any-loss" },
      picks: ["g1:A:1", "g3:B:0.2", "g4:B:0.5", "g6:C:0.3"],
      skipped: { "target-not-lost": 1, "no-battles": 1 },
    },
    {
      name: "minMargin 0.5 drops weak battles before pooling",
      options: { minMargin: 0.5 },
      picks: ["g1:A:1", "g4:B:0.5"],
      skipped: { "target-not-lost": 2, "no-target-answer": 1, "no-battles": 1 },
    },
    {
      name: "onlyTargetLoses drops the target-less g4",
      options: { onlyTargetLoses: true },
      picks: ["g1:A:1", "g3:B:0.2"],
      skipped: { "target-not-lost": 2, "no-target": 1, "no-battles": 1 },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const { rows, summary } = run("sft", tc.options);
      expect(sftPicks(rows)).toEqual(tc.picks);
      expect(summary.skipped).toEqual(tc.skipped);
      expect(summary.rows).toBe(tc.picks.length);
    });
  }

  it("the SFT text is the best opponent's answer and keeps the multi-turn prompt", () => {
    const rows = run("sft", {}).rows as SftRow[];
    const g3 = rows.find((r) => r.provenance.instructionId === "g3");
    expect(g3?.completion).toEqual({ model: "B", responseId: "g3-B", text: "B answer to g3" });
    expect(g3?.prompt).toEqual(G3.instruction.messages);
  });
});

describe("DPO selection", () => {
  const cases: { name: string; options: SelectionOptions; battles: string[]; skipped: Record<string, number> }[] = [
    {
      name: "default: decisive battles involving the target",
      options: {},
      battles: ["b1", "b2", "b4", "b6", "b7", "b9", "b10", "b11"],
      skipped: { "opponent-pair": 3, tie: 1, "no-battles": 1 },
    },
    {
      name: "includeOpponentPairs adds opponent-vs-opponent battles",
      options: { includeOpponentPairs: true },
      battles: ["b1", "b2", "b3", "b4", "b6", "b7", "b8", "b9", "b10", "b11", "b12"],
      skipped: { tie: 1, "no-battles": 1 },
    },
    {
      name: "onlyTargetLoses keeps pairs whose rejected answer is the target's",
      options: { onlyTargetLoses: true },
      battles: ["b1", "b2", "b6", "b11"],
      skipped: { "target-not-lost": 3, "opponent-pair": 3, tie: 1, "no-target": 1, "no-battles": 1 },
    },
    {
      name: "minMargin 0.5 drops b5, b6, b7, b11",
      options: { minMargin: 0.5 },
      battles: ["b1", "b2", "b4", "b9", "b10"],
      skipped: { "min-margin": 4, "opponent-pair": 3, "no-battles": 1 },
    },
    {
      name: "perCategoryCap 1 keeps the first row of each category",
      options: { perCategoryCap: 1 },
      battles: ["b1", "b4", "b9"],
      skipped: { "category-cap": 5, "opponent-pair": 3, tie: 1, "no-battles": 1 },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const { rows, summary } = run("dpo", tc.options);
      expect(dpoIds(rows)).toEqual(tc.battles);
      expect(summary.skipped).toEqual(tc.skipped);
    });
  }

  it("winner is chosen, loser rejected; the target's losing answers are on-policy rejected", () => {
    const rows = run("dpo", {}).rows as DpoRow[];
    const pairs = rows.map((r) => `${r.chosen.model}>${r.rejected.model}`);
    expect(pairs).toEqual(["A>T", "B>T", "T>A", "B>T", "T>C", "B>A", "T>A", "C>T"]);
    const b2 = rows[1];
    expect(b2?.rejected).toEqual({ model: "T", responseId: "g1-T", text: "T answer to g1" });
    expect(b2?.provenance.margin).toBe(0.5);
  });
});

describe("reward and KTO selection", () => {
  it("reward rows list every scored answer, best first, with pooled scores", () => {
    const rows = run("reward", {}).rows as RewardRow[];
    const got = rows.map((r) => [r.provenance.instructionId, r.responses.map((x) => [x.model, x.score])]);
    const want = [
      ["g1", [["A", 1], ["B", 0.375], ["T", 0.125]]],
      ["g2", [["T", 0.75], ["C", 0.5], ["A", 0]]],
      ["g3", [["B", 0.75], ["T", 0.45], ["C", 0.3]]],
      ["g4", [["B", 0.75], ["A", 0.25]]],
      ["g6", [["C", 0.8], ["T", 0.65], ["A", 0.05]]],
    ];
    expect(got.map((g) => g[0])).toEqual(want.map((w) => w[0]));
    got.forEach((g, i) => {
      const w = want[i]?.[1] as [string, number][];
      (g[1] as [string, number][]).forEach(([m, s], j) => {
        expect(m).toBe(w[j]?.[0]);
        expect(s).toBeCloseTo(w[j]?.[1] ?? NaN, 12);
      });
    });
  });

  it("reward with onlyTargetLoses keeps only instructions the target lost", () => {
    const { rows, summary } = run("reward", { onlyTargetLoses: true });
    expect(rows.map((r) => r.provenance.instructionId)).toEqual(["g1", "g3"]);
    expect(summary.skipped).toEqual({ "target-not-lost": 2, "no-target": 1, "no-battles": 1 });
  });

  it("KTO labels: good above 0.5 + eps, bad below 0.5 - eps, ties excluded (eps 0.1)", () => {
    const { rows, summary } = run("kto", { ktoEpsilon: 0.1 });
    const got = (rows as KtoRow[]).map((r) => `${r.provenance.instructionId}:${r.completion.model}:${r.label}`);
    expect(got).toEqual([
      "g1:A:true", "g1:B:false", "g1:T:false",
      "g2:A:false", "g2:T:true",
      "g3:B:true", "g3:C:false",
      "g4:A:false", "g4:B:true",
      "g6:A:false", "g6:C:true", "g6:T:true",
    ]);
    expect(summary.skipped).toEqual({ tie: 2, "no-battles": 1 });
  });
});
