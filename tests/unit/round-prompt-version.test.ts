// battles/round-store.ts roundPromptVersion: the one rule for which judge prompt version a round's
// battles are judged with, read by the judging and by the export's provenance. Reference values are
// the released version strings (judges/prompts/pairwise.ts, single.ts) and the reward label.
import { describe, expect, it } from "vitest";
import { roundPromptVersion, type RoundRow } from "../../battles/round-store.js";

describe("roundPromptVersion: the round's chosen template, else its judge mode's default", () => {
  const cases: { name: string; judgeMode: RoundRow["judgeMode"]; options: { promptVersion?: string }; want: string }[] = [
    { name: "pairwise, default", judgeMode: "pairwise", options: {}, want: "arena-hard-v2@1" },
    { name: "single, default", judgeMode: "single", options: {}, want: "mt-bench-single@1" },
    { name: "reward, default", judgeMode: "reward", options: {}, want: "reward@1" },
    { name: "pairwise, chosen JSON template", judgeMode: "pairwise", options: { promptVersion: "arena-hard-v2-json@1" }, want: "arena-hard-v2-json@1" },
    { name: "single, chosen template", judgeMode: "single", options: { promptVersion: "mt-bench-single@1" }, want: "mt-bench-single@1" },
  ];
  for (const tc of cases) it(tc.name, () => expect(roundPromptVersion({ judgeMode: tc.judgeMode, options: tc.options })).toBe(tc.want));
});
