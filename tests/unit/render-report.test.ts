// Round report renderers (HTML, Markdown) on a hand-built report, plus the pure data shaping behind
// them: win-rate matrices from aggregated counts and the data-yield tallies.
import { describe, expect, it } from "vitest";
import { errorBarChart } from "../../reports/render/error-bar-chart.js";
import { heatmap } from "../../reports/render/heatmap.js";
import { renderReportHtml } from "../../reports/render/report-html.js";
import { mdTable, renderReportMarkdown } from "../../reports/render/report-markdown.js";
import { dataYield, type RoundReport, winRatesFromCounts } from "../../reports/render/report-model.js";
import { escapeMarkdown, escapeXml } from "../../reports/render/text.js";

const EVIL = '<script>alert("x")</script>';
const PIPE = "gpt|4 *bold*";

function report(trainingData: RoundReport["trainingData"] = null): RoundReport {
  return {
    generatedAt: "2025-01-02T03:04:05.000Z",
    round: {
      id: "r1",
      name: "<b>nightly</b>",
      status: "done",
      pairing: "all-pairs",
      judgeMode: "pairwise",
      candidates: [EVIL, PIPE, "plain"],
      judges: ["judge-1"],
      target: null,
      baseline: null,
      counts: { total: 30, done: 29, failed: 1, pending: 0, invalid: 2 },
      responses: 30,
      judgments: { total: 58, invalid: 2 },
      tokens: { prompt: 12000, completion: 3456, total: 15456 },
      costUsd: 0.0042,
      errors: { invalid_verdict: 2 },
      etaSeconds: 0,
      createdAt: "2025-01-02T03:00:00.000Z",
      startedAt: "2025-01-02T03:00:01.000Z",
      finishedAt: "2025-01-02T03:04:00.000Z",
    },
    leaderboard: {
      method: "bt",
      bootstrap: 100,
      minBattles: 30,
      connected: true,
      components: [[EVIL, PIPE, "plain"]],
      items: [
        { model: EVIL, rating: 1080.4, ciLow: 1040.2, ciHigh: 1121.9, rank: 1, battles: 44, decisive: 40, winRate: 0.7, component: 0, provisional: false },
        { model: PIPE, rating: 1001, ciLow: 960, ciHigh: 1040, rank: 1, battles: 44, decisive: 40, winRate: 0.5, component: 0, provisional: false },
        { model: "plain", rating: 918.6, ciLow: 870, ciHigh: 960, rank: 3, battles: 20, decisive: 12, winRate: 0.3, component: 0, provisional: true },
      ],
    },
    winRates: {
      models: [EVIL, PIPE, "plain"],
      empirical: [[null, 0.6, 0.8], [0.4, null, 0.6], [0.2, 0.4, null]],
      predicted: [[0.5, 0.61, 0.72], [0.39, 0.5, 0.62], [0.28, 0.38, 0.5]],
      counts: [[0, 10, 10], [10, 0, 10], [10, 10, 0]],
    },
    judges: {
      judges: [{ judge: "judge-1", judgments: 58, invalidRate: 2 / 58, swapAgreementRate: 0.9, firstPositionWinRate: 0.52, longerAnswerWinRate: null }],
      agreement: { pairs: [], fleiss: { judges: ["judge-1"], battles: 0, kappa: null } },
    },
    dataYield: { scored: 27, decisive: 24, ties: 3, invalid: 2, failed: 1, byCategory: [{ category: "math", battles: 27, decisive: 24, ties: 3 }] },
    trainingData,
  };
}

describe("renderReportHtml", () => {
  const html = renderReportHtml(report(), { json: "/v1/reports/rounds/r1?format=json", markdown: "/v1/reports/rounds/r1?format=md" });

  it("is one self-contained document: inline CSS, no scripts, nothing loaded from elsewhere", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<style>");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=/i);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(["/v1/reports/rounds/r1?format=json", "/v1/reports/rounds/r1?format=md"]);
  });

  it("embeds exactly the charts the SVG renderers make for this data", () => {
    const r = report();
    expect(html).toContain(errorBarChart(r.leaderboard.items));
    expect(html).toContain(heatmap(r.winRates.empirical, r.winRates.models, { title: "Observed win rate", counts: r.winRates.counts }));
    expect(html).toContain(heatmap(r.winRates.predicted, r.winRates.models, { title: "Predicted from ratings" }));
    expect(html.match(/<svg /g)).toHaveLength(3);
  });

  const escapes = [
    { raw: EVIL, escaped: escapeXml(EVIL) },
    { raw: "<b>nightly</b>", escaped: "&lt;b&gt;nightly&lt;/b&gt;" },
  ];
  it.each(escapes)("escapes $raw", ({ raw, escaped }) => {
    expect(html).not.toContain(raw);
    expect(html).toContain(escaped);
  });

  const facts = [
    { what: "leaderboard row", text: "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td><td class=\"num\">1080</td><td class=\"num\">1040 to 1122</td>" },
    { what: "provisional row", text: '<td>plain</td><td class="num">919</td><td class="num">870 to 960</td><td class="num">20</td><td class="num">12</td><td class="num">30.0%</td><td>provisional</td>' },
    { what: "provisional note", text: "Provisional: fewer than 30 decisive (non-tie) battles" },
    { what: "judge row", text: '<td>judge-1</td><td class="num">58</td><td class="num">3.4%</td><td class="num">90.0%</td><td class="num">52.0%</td><td class="num">—</td>' },
    { what: "cost below a cent", text: "$0.0042" },
    { what: "category yield", text: '<td>math</td><td class="num">27</td><td class="num">24</td><td class="num">3</td><td class="num">88.9%</td>' },
    { what: "training-data hook", text: "SFT / DPO rows: not computed." },
    { what: "errors by kind", text: '<td>invalid_verdict</td><td class="num">2</td>' },
  ];
  it.each(facts)("shows the $what", ({ text }) => {
    expect(html).toContain(text);
  });

  it("shows SFT/DPO counts once the hook provides them", () => {
    const filled = renderReportHtml(report({ sftRows: 1234, dpoPairs: 56 }));
    expect(filled).toContain('<td>SFT rows</td><td class="num">1,234</td>');
    expect(filled).toContain('<td>DPO pairs</td><td class="num">56</td>');
    expect(filled).not.toContain("not computed");
  });
});

describe("a disconnected board in the reports", () => {
  const r = report();
  const [a, b, c] = r.leaderboard.items;
  // "plain" never met the other two: its own group, ranked 1 there.
  if (a && b && c) r.leaderboard = { ...r.leaderboard, connected: false, components: [[EVIL, PIPE], ["plain"]], items: [a, b, { ...c, component: 1, rank: 1 }] };
  it("HTML: one table and one chart per group, with the note", () => {
    const html = renderReportHtml(r);
    expect(html).toContain("Not connected: these models form 2 groups that never met");
    expect(html).toContain("<h3>Group 1 of 2 (2 models)</h3>");
    expect(html).toContain("<h3>Group 2 of 2 (1 model)</h3>");
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain(errorBarChart(r.leaderboard.items.slice(2)));
  });
  it("Markdown: one table per group under its heading", () => {
    const md = renderReportMarkdown(r);
    expect(md).toContain("> Not connected: these models form 2 groups");
    const at = md.indexOf("### Group 2 of 2 (1 model)");
    expect(at).toBeGreaterThan(md.indexOf("### Group 1 of 2 (2 models)"));
    expect(md.slice(at)).toContain("| 1 | plain | 919 | 870 to 960 | 20 | 12 | 30.0% | provisional |");
  });
});

describe("renderReportMarkdown", () => {
  const md = renderReportMarkdown(report());
  const lines = md.split("\n");

  it("renders the leaderboard as a table with right-aligned numbers, provisional models marked", () => {
    const at = lines.indexOf("| rank | model | rating | 95% interval | battles | decisive | win rate | note |");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 5)).toEqual([
      "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
      "| 1 | &lt;script&gt;alert(\"x\")&lt;/script&gt; | 1080 | 1040 to 1122 | 44 | 40 | 70.0% |  |",
      "| 1 | gpt\\|4 \\*bold\\* | 1001 | 960 to 1040 | 44 | 40 | 50.0% |  |",
      "| 3 | plain | 919 | 870 to 960 | 20 | 12 | 30.0% | provisional |",
    ]);
    expect(md).toContain("> Provisional: fewer than 30 decisive (non-tie) battles");
    expect(md).toContain("Rank = 1 + the number of models (in the same table) whose whole interval lies above");
    expect(md).not.toContain("Not connected");
  });

  it("renders the win-rate matrices as tables with an empty diagonal", () => {
    expect(md).toContain("| plain | 0.20 | 0.40 |  |");
    expect(md).toContain("| plain | 0.28 | 0.38 |  |");
  });

  it("never lets raw HTML or a bare pipe from a name through", () => {
    expect(md).not.toContain("<script");
    expect(md).not.toContain("<b>");
    expect(md).toContain("# Round report: &lt;b&gt;nightly&lt;/b&gt;");
    expect(md).toContain("SFT / DPO rows: not computed.");
  });
});

describe("escapeMarkdown and mdTable", () => {
  const cases = [
    { raw: "a|b", want: "a\\|b" },
    { raw: "x_y*z", want: "x\\_y\\*z" },
    { raw: "<img src=x>", want: "&lt;img src=x&gt;" },
    { raw: "line1\nline2", want: "line1 line2" },
    { raw: "[link](http://x)", want: "\\[link\\](http://x)" },
    { raw: "a&b", want: "a&amp;b" },
  ];
  it.each(cases)("$raw", ({ raw, want }) => {
    expect(escapeMarkdown(raw)).toBe(want);
  });
  it("builds header, rule and rows", () => {
    expect(mdTable(["a", "n"], [["x|y", "1"]], [1])).toBe("| a | n |\n| --- | ---: |\n| x\\|y | 1 |");
  });
});

describe("winRatesFromCounts", () => {
  // a-b: 3 wins for a, 1 for b, and (listed as b vs a) 2 ties -> a's share (3 + 0 + 1) / 6 = 2/3.
  const rows = [
    { modelA: "a", modelB: "b", outcome: 1, count: 3 },
    { modelA: "a", modelB: "b", outcome: 0, count: 1 },
    { modelA: "b", modelB: "a", outcome: 0.5, count: 2 },
    { modelA: "x", modelB: "a", outcome: 1, count: 5 },
  ];
  // Ratings 1400 vs 1000: 1 / (1 + 10^(-1)) = 10/11.
  const w = winRatesFromCounts(rows, ["a", "b", "c"], [1400, 1000, 1000]);
  const cases = [
    { name: "empirical", got: w.empirical, want: [[null, 2 / 3, null], [1 / 3, null, null], [null, null, null]] },
    { name: "counts", got: w.counts, want: [[0, 6, 0], [6, 0, 0], [0, 0, 0]] },
    { name: "predicted", got: w.predicted, want: [[0.5, 10 / 11, 10 / 11], [1 / 11, 0.5, 0.5], [1 / 11, 0.5, 0.5]] },
  ];
  it.each(cases)("$name", ({ got, want }) => {
    expect(got.length).toBe(want.length);
    got.forEach((row, i) => row.forEach((v, j) => {
      const e = want[i]?.[j];
      if (e === null || e === undefined) expect(v).toBe(e ?? null);
      else expect(v).toBeCloseTo(e, 12);
    }));
  });
  it("keeps the given model order", () => {
    expect(w.models).toEqual(["a", "b", "c"]);
  });
});

describe("dataYield", () => {
  const cases = [
    {
      name: "mixed categories, ties and soft outcomes",
      scored: [
        { outcome: 1, category: "math" },
        { outcome: 0, category: "math" },
        { outcome: 0.5, category: "math" },
        { outcome: 0.75, category: "coding" },
        { outcome: 0.5 },
      ],
      want: {
        scored: 5,
        decisive: 3,
        ties: 2,
        invalid: 4,
        failed: 1,
        byCategory: [
          { category: "", battles: 1, decisive: 0, ties: 1 },
          { category: "coding", battles: 1, decisive: 1, ties: 0 },
          { category: "math", battles: 3, decisive: 2, ties: 1 },
        ],
      },
    },
    { name: "nothing scored", scored: [], want: { scored: 0, decisive: 0, ties: 0, invalid: 4, failed: 1, byCategory: [] } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(dataYield(tc.scored, 4, 1)).toEqual(tc.want);
    });
  }
});

describe("scores against the baseline in the report", () => {
  const withScores = (): RoundReport => ({
    ...report(),
    scores: [
      {
        score: "arena-hard",
        baseline: "plain",
        definition: "arena-hard: the <mean> over both games",
        ciPercentiles: [0.05, 0.95],
        bootstrap: 100,
        items: [{ model: EVIL, score: 0.625, ciLow: 0.5, ciHigh: 0.75, battles: 12 }],
        skipped: { notAgainstBaseline: 0 },
      },
      {
        score: "wildbench",
        baseline: "plain",
        definition: "wildbench: WB-Reward",
        ciPercentiles: [0.05, 0.95],
        bootstrap: 100,
        items: [{ model: PIPE, score: -0.25, ciLow: -0.5, ciHigh: 0, battles: 12 }, { model: "none", score: null, ciLow: null, ciHigh: null, battles: 0, note: "no usable battle" }],
        skipped: { notAgainstBaseline: 0 },
      },
    ],
  });

  it("Markdown: one table per score, shares as percentages, WildBench's reward as a number, and each definition", () => {
    const text = renderReportMarkdown(withScores());
    expect(text).toContain("## Scores against the baseline plain");
    expect(text).toContain("### arena-hard");
    expect(text).toContain("| 62.5% | 50.0% to 75.0% | 12 |");
    expect(text).toContain("| -0.250 | -0.500 to 0.000 | 12 |");
    expect(text).toContain("| none | — | — | 0 | no usable battle |");
    expect(text).toContain("_wildbench: WB-Reward_");
    expect(renderReportMarkdown(report())).not.toContain("Scores against the baseline");
  });

  it("HTML: a section with the definitions, every string escaped", () => {
    const html = renderReportHtml(withScores());
    expect(html).toContain('<section id="scores"><h2>Scores against the baseline plain</h2>');
    expect(html).toContain("arena-hard: the &lt;mean&gt; over both games");
    expect(html).not.toContain(EVIL);
    expect(renderReportHtml(report())).not.toContain('id="scores"');
  });
});
