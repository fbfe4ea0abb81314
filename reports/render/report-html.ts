/**
 * The round report as one self-contained HTML document: inline CSS, inline SVG charts made here,
 * no scripts, no external fonts, images or links to other hosts. Every user-supplied string
 * (model, judge, category and round names) is escaped.
 */
import { errorBarChart } from "./error-bar-chart.js";
import { heatmap } from "./heatmap.js";
import { badge, type Cell, REPORT_CSS, section, stat, table } from "./html-kit.js";
import { BOARD_HEADERS, BOARD_NUMERIC, boardGroups, boardNotes, RANK_NOTE, type RoundReport, SCORE_HEADERS, SCORE_NUMERIC, scoreRows } from "./report-model.js";
import { escapeXml, fmt, int, pct, usd } from "./text.js";

/** Renders the whole report; `links` are same-origin hrefs to the JSON and Markdown formats. */
export function renderReportHtml(r: RoundReport, links: { json?: string; markdown?: string } = {}): string {
  const title = `Round report: ${r.round.name ?? r.round.id}`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(title)}</title><style>${REPORT_CSS}</style></head><body><main>`,
    header(r, title, links),
    summary(r),
    leaderboardSection(r),
    scoreSection(r),
    winRateSection(r),
    judgeSection(r),
    progressSection(r),
    yieldSection(r),
    `<footer>Generated ${escapeXml(r.generatedAt)} by matrix-arena. Ratings: Bradley-Terry on the Elo scale (400 points per factor 10 in odds), ${r.leaderboard.bootstrap} bootstrap rounds.</footer>`,
    "</main></body></html>",
  ].join("\n");
}

function header(r: RoundReport, title: string, links: { json?: string; markdown?: string }): string {
  const x = r.round;
  const when = x.finishedAt ? `finished ${x.finishedAt}` : x.startedAt ? `started ${x.startedAt}` : `created ${x.createdAt}`;
  const pairing = x.target ? `${x.pairing} (target ${x.target})` : x.baseline ? `${x.pairing} (baseline ${x.baseline})` : x.pairing;
  const a = [links.json ? `<a href="${escapeXml(links.json)}">JSON</a>` : "", links.markdown ? `<a href="${escapeXml(links.markdown)}">Markdown</a>` : ""].join("");
  return (
    `<header><h1>${escapeXml(title)}</h1>` +
    `<p class="meta">${badge(x.status)} <code>${escapeXml(x.id)}</code> · ${escapeXml(pairing)} · judge mode ${escapeXml(x.judgeMode)} · ${escapeXml(when)}</p>` +
    `<p class="meta">Candidates: ${escapeXml(x.candidates.join(", "))} · Judges: ${escapeXml(x.judges.join(", "))}</p>` +
    (a ? `<p class="links">${a}</p>` : "") +
    "</header>"
  );
}

function summary(r: RoundReport): string {
  const c = r.round.counts;
  const y = r.dataYield;
  const tiles = [
    stat("battles", int(c.total)),
    stat("done", int(c.done)),
    stat("decisive", int(y.decisive), "battles with a winner"),
    stat("ties", int(y.ties)),
    stat("invalid", int(c.invalid), "finished without a usable verdict"),
    stat("failed", int(c.failed)),
    stat("tokens", int(r.round.tokens.total)),
    stat("cost", usd(r.round.costUsd)),
  ];
  return section("summary", "Summary", `<div class="stats">${tiles.join("")}</div>`);
}

function leaderboardSection(r: RoundReport): string {
  const notes = boardNotes(r.leaderboard).map((n) => `<p class="note">${escapeXml(n)}</p>`).join("");
  const tables = boardGroups(r.leaderboard).map((g) => {
    const rows: Cell[][] = g.items.map((it) => [String(it.rank), it.model, fmt(it.rating), `${fmt(it.ciLow)} to ${fmt(it.ciHigh)}`, int(it.battles), int(it.decisive), pct(it.winRate), it.provisional ? "provisional" : ""]);
    const title = g.title ? `<h3>${escapeXml(g.title)}</h3>` : "";
    // Each group gets its own chart: ratings of different groups share no origin.
    return `${title}${table(BOARD_HEADERS, rows, BOARD_NUMERIC)}<div class="chart">${errorBarChart(g.items)}</div>`;
  });
  return section("leaderboard", "Leaderboard", notes + tables.join(""), RANK_NOTE);
}

function scoreSection(r: RoundReport): string {
  const boards = r.scores ?? [];
  if (boards.length === 0) return "";
  const body = boards.map((b) => `<h3>${escapeXml(b.score)}</h3>${table(SCORE_HEADERS, scoreRows(b), SCORE_NUMERIC)}<p class="note">${escapeXml(b.definition)}</p>`).join("");
  return section("scores", `Scores against the baseline ${boards[0]?.baseline ?? ""}`, body, "Each candidate against the baseline only; intervals are the 5% and 95% bootstrap percentiles.");
}

function winRateSection(r: RoundReport): string {
  const w = r.winRates;
  const charts = [
    `<div class="chart">${heatmap(w.empirical, w.models, { title: "Observed win rate", counts: w.counts })}</div>`,
    `<div class="chart">${heatmap(w.predicted, w.models, { title: "Predicted from ratings" })}</div>`,
  ];
  return section("win-rates", "Win rates", `<div class="charts">${charts.join("")}</div>`, "Row model's share of points against the column model; ties count one half.");
}

function judgeSection(r: RoundReport): string {
  const rows: Cell[][] = r.judges.judges.map((j) => [j.judge, int(j.judgments), pct(j.invalidRate), pct(j.swapAgreementRate), pct(j.firstPositionWinRate), pct(j.longerAnswerWinRate)]);
  const head = ["judge", "judgments", "invalid", "swap agreement", "first position wins", "longer answer wins"];
  const a = r.judges.agreement;
  const pairs = a.pairs.map((p): Cell[] => [p.judgeA, p.judgeB, int(p.battles), pct(p.rawAgreement), fmt(p.kappa, 3)]);
  const jury = a.pairs.length === 0 ? "" : `<h3>Jury agreement</h3><p>Fleiss' kappa ${escapeXml(fmt(a.fleiss.kappa, 3))} over ${int(a.fleiss.battles)} battles.</p>${table(["judge A", "judge B", "battles", "agreement", "Cohen's kappa"], pairs, [2, 3, 4])}`;
  const note = "An unbiased judge wins about 50% for the first-shown answer; a high longer-answer rate hints at verbosity bias.";
  return section("judges", "Judge quality", (rows.length > 0 ? table(head, rows, [1, 2, 3, 4, 5]) : '<p class="missing">No pairwise judgments.</p>') + jury, note);
}

function progressSection(r: RoundReport): string {
  const x = r.round;
  const rows: Cell[][] = [
    ["battles (done / total)", `${int(x.counts.done)} / ${int(x.counts.total)}`],
    ["pending", int(x.counts.pending)],
    ["failed", int(x.counts.failed)],
    ["candidate responses", int(x.responses)],
    ["judge calls (invalid)", `${int(x.judgments.total)} (${int(x.judgments.invalid)})`],
    ["tokens (prompt / completion)", `${int(x.tokens.prompt)} / ${int(x.tokens.completion)}`],
    ["cost", usd(x.costUsd)],
    ["ETA", x.etaSeconds === null ? "—" : `${int(x.etaSeconds)} s`],
  ];
  const errors = Object.entries(x.errors).map(([k, n]): Cell[] => [k, int(n)]);
  const errHtml = errors.length > 0 ? `<h3>Errors by kind</h3>${table(["kind", "count"], errors, [1])}` : "";
  return section("progress", "Progress and cost", table(["measure", "value"], rows, [1]) + errHtml);
}

function yieldSection(r: RoundReport): string {
  const y = r.dataYield;
  const rows = y.byCategory.map((c): Cell[] => [c.category || "(none)", int(c.battles), int(c.decisive), int(c.ties), pct(c.battles > 0 ? c.decisive / c.battles : null)]);
  rows.push([{ html: "<strong>all</strong>" }, int(y.scored), int(y.decisive), int(y.ties), pct(y.scored > 0 ? y.decisive / y.scored : null)]);
  const t = r.trainingData;
  const training = t
    ? table(["dataset", "rows"], [["SFT rows", int(t.sftRows)], ["DPO pairs", int(t.dpoPairs)]], [1])
    : '<p class="missing" id="training-data-missing">SFT / DPO rows: not computed.</p>';
  const body = `${table(["category", "scored", "decisive", "ties", "decisive share"], rows, [1, 2, 3, 4])}<p>Invalid battles: ${int(y.invalid)} · failed: ${int(y.failed)}</p><h3>Training data</h3>${training}`;
  return section("data-yield", "Data yield", body);
}
