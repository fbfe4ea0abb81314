// The CLI table's style lines: identified coefficients with their intervals, unidentified ones named
// as such (never a number), and the reason when style control is not identified.
import { describe, expect, it } from "vitest";
import type { Leaderboard } from "../../reports/leaderboard.js";
import type { StyleEstimate } from "../../reports/style-summary.js";
import { formatLeaderboardTable } from "../../src/cli/leaderboard.js";

const est = (feature: StyleEstimate["feature"], estimate: number | null, ci: [number, number] | null): StyleEstimate => ({
  feature,
  estimate,
  ciLow: ci?.[0] ?? null,
  ciHigh: ci?.[1] ?? null,
  identified: estimate !== null,
  free: estimate !== null ? 0.3 : 0,
});
const item = { model: "a", rating: 1000, ciLow: 990, ciHigh: 1010, rank: 1, battles: 10, decisive: 10, winRate: 0.5, component: 0, provisional: true };

describe("formatLeaderboardTable style lines", () => {
  const cases: { name: string; style: NonNullable<Leaderboard["style"]>; has: string[]; not: RegExp[] }[] = [
    {
      name: "identified",
      style: { coefficients: { length: 0.881, headers: -0.1 }, estimates: [est("length", 0.881, [0.4721, 1.2]), est("headers", -0.1, [-0.3, 0.07])], identified: true, battles: 400, skipped: 0 },
      has: ["length=0.881 [0.472, 1.200]", "headers=-0.100 [-0.300, 0.070]"],
      not: [/not identified/],
    },
    {
      name: "not identified",
      style: { coefficients: { length: 0.5 }, estimates: [est("length", 0.5, [0.2, 0.8]), est("bold", null, null)], identified: false, reason: "bold is (near) collinear", battles: 9, skipped: 1 },
      has: ["length=0.500 [0.200, 0.800]", "bold=not identified", "style control not identified: bold is (near) collinear"],
      not: [/bold=-?\d/],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const out = formatLeaderboardTable({ method: "bt", connected: true, components: [["a"]], items: [item], style: tc.style });
      for (const s of tc.has) expect(out).toContain(s);
      for (const r of tc.not) expect(out).not.toMatch(r);
    });
  }
});
