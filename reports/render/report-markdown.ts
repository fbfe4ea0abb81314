/**
 * The round report as Markdown: the same sections as the HTML report, as tables (charts are in the
 * HTML format). User-supplied strings are escaped so a model name cannot break a table or inject HTML.
 */
import { BOARD_HEADERS, BOARD_NUMERIC, boardGroups, boardNotes, RANK_NOTE, type RoundReport, SCORE_HEADERS, SCORE_NUMERIC, scoreRows } from "./report-model.js";
import { escapeMarkdown as md, fmt, int, pct, usd } from "./text.js";

/** A Markdown table; cells are escaped here, `right` lists right-aligned column indexes. */
export function mdTable(headers: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const line = (cells: readonly string[]) => `| ${cells.map(md).join(" | ")} |`;
  const rule = `|${headers.map((_, k) => (right.includes(k) ? " ---: " : " --- ")).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

export function renderReportMarkdown(r: RoundReport): string {
  const x = r.round;
  const out = [
    `# Round report: ${md(x.name ?? x.id)}`,
    "",
    `- id: \`${x.id.replace(/`/g, "")}\`, status: **${md(x.status)}**, pairing: ${md(x.pairing)}, judge mode: ${md(x.judgeMode)}`,
    `- candidates: ${x.candidates.map(md).join(", ")}`,
    `- judges: ${x.judges.map(md).join(", ")}`,
    `- created ${md(x.createdAt)}${x.finishedAt ? `, finished ${md(x.finishedAt)}` : ""}`,
    "",
    ...leaderboard(r),
    ...scores(r),
    ...winRates(r),
    ...judges(r),
    ...progress(r),
    ...dataYield(r),
    `_Generated ${md(r.generatedAt)} by matrix-arena; Bradley-Terry ratings on the Elo scale, ${r.leaderboard.bootstrap} bootstrap rounds._`,
    "",
  ];
  return out.join("\n");
}

function leaderboard(r: RoundReport): string[] {
  const out = ["## Leaderboard", "", md(RANK_NOTE), ""];
  for (const note of boardNotes(r.leaderboard)) out.push(`> ${md(note)}`, "");
  for (const g of boardGroups(r.leaderboard)) {
    const rows = g.items.map((it) => [String(it.rank), it.model, fmt(it.rating), `${fmt(it.ciLow)} to ${fmt(it.ciHigh)}`, int(it.battles), int(it.decisive), pct(it.winRate), it.provisional ? "provisional" : ""]);
    if (g.title) out.push(`### ${md(g.title)}`, "");
    out.push(mdTable(BOARD_HEADERS, rows, BOARD_NUMERIC), "");
  }
  return out;
}

function scores(r: RoundReport): string[] {
  const boards = r.scores ?? [];
  if (boards.length === 0) return [];
  const out = [`## Scores against the baseline ${md(boards[0]?.baseline ?? "")}`, ""];
  for (const b of boards) out.push(`### ${md(b.score)}`, "", mdTable(SCORE_HEADERS, scoreRows(b), SCORE_NUMERIC), "", `_${md(b.definition)}_`, "");
  return out;
}

function matrix(title: string, m: readonly (readonly (number | null)[])[], models: readonly string[]): string[] {
  const rows = models.map((name, i) => [name, ...models.map((_, j) => (i === j ? "" : fmt(m[i]?.[j] ?? null, 2)))]);
  return [`### ${title}`, "", mdTable(["row beats column", ...models], rows, models.map((_, k) => k + 1)), ""];
}

function winRates(r: RoundReport): string[] {
  const w = r.winRates;
  return ["## Win rates", "", ...matrix("Observed", w.empirical, w.models), ...matrix("Predicted from ratings", w.predicted, w.models)];
}

function judges(r: RoundReport): string[] {
  const rows = r.judges.judges.map((j) => [j.judge, int(j.judgments), pct(j.invalidRate), pct(j.swapAgreementRate), pct(j.firstPositionWinRate), pct(j.longerAnswerWinRate)]);
  const out = ["## Judge quality", "", mdTable(["judge", "judgments", "invalid", "swap agreement", "first position wins", "longer answer wins"], rows, [1, 2, 3, 4, 5]), ""];
  const a = r.judges.agreement;
  if (a.pairs.length > 0) {
    const pairs = a.pairs.map((p) => [p.judgeA, p.judgeB, int(p.battles), pct(p.rawAgreement), fmt(p.kappa, 3)]);
    out.push(`Fleiss' kappa ${fmt(a.fleiss.kappa, 3)} over ${int(a.fleiss.battles)} battles.`, "", mdTable(["judge A", "judge B", "battles", "agreement", "Cohen's kappa"], pairs, [2, 3, 4]), "");
  }
  return out;
}

function progress(r: RoundReport): string[] {
  const x = r.round;
  const rows = [
    ["battles (done / total)", `${int(x.counts.done)} / ${int(x.counts.total)}`],
    ["pending", int(x.counts.pending)],
    ["failed", int(x.counts.failed)],
    ["candidate responses", int(x.responses)],
    ["judge calls (invalid)", `${int(x.judgments.total)} (${int(x.judgments.invalid)})`],
    ["tokens (prompt / completion)", `${int(x.tokens.prompt)} / ${int(x.tokens.completion)}`],
    ["cost", usd(x.costUsd)],
    ...Object.entries(x.errors).map(([k, n]) => [`errors: ${k}`, int(n)]),
  ];
  return ["## Progress and cost", "", mdTable(["measure", "value"], rows, [1]), ""];
}

function dataYield(r: RoundReport): string[] {
  const y = r.dataYield;
  const rows = y.byCategory.map((c) => [c.category || "(none)", int(c.battles), int(c.decisive), int(c.ties)]);
  rows.push(["all", int(y.scored), int(y.decisive), int(y.ties)]);
  const t = r.trainingData;
  const training = t ? mdTable(["dataset", "rows"], [["SFT rows", int(t.sftRows)], ["DPO pairs", int(t.dpoPairs)]], [1]) : "SFT / DPO rows: not computed.";
  return ["## Data yield", "", mdTable(["category", "scored", "decisive", "ties"], rows, [1, 2, 3]), "", `Invalid battles: ${int(y.invalid)}, failed: ${int(y.failed)}.`, "", "### Training data", "", training, ""];
}
