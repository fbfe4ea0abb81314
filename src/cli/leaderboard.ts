/**
 * `matrix-arena leaderboard --input FILE`: a board from a JSONL battle log with no server and no
 * database. Options: --method (bt, elo, newman, davidson, counting, average-win-rate, eigen, pagerank), --bootstrap N, --baseline M, --baseline-rating R, --seed N,
 * --style-control, --min-battles N, --json; --score winrate|arena-hard|wildbench|lc with --baseline M
 * prints scores against the baseline instead of ratings (reports/scores, docs/scores.md). Exit codes: 0 ok, 1 unreadable or empty input, 2 usage error.
 * A disconnected log prints one table per component of the comparison graph; provisional models say so.
 * All I/O goes through `io` so tests run it in-process.
 */
import { createReadStream } from "node:fs";
import { type Battle, collectBattleLog, tallyBattleLog } from "../../reports/battle-log.js";
import { MIN_DECISIVE_BATTLES } from "../../reports/board-shape.js";
import { leaderboardFromCounts } from "../../reports/leaderboard-counts.js";
import { computeLeaderboard, isRatingMethod, RATING_METHODS, type Leaderboard, type LeaderboardItem, type LeaderboardOptions } from "../../reports/leaderboard.js";
import { RatingInputError } from "../../reports/rating-scale.js";
import { computeScoreBoard, isScoreName, logBattlesAgainst, SCORE_NAMES, type ScoreBoard, type ScoreName } from "../../reports/scores/index.js";

export interface LeaderboardIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** The whole file, or a stream of text or byte chunks (e.g. fs.createReadStream(path)). */
  readFile: (path: string) => Promise<string> | AsyncIterable<string> | AsyncIterable<Uint8Array>;
}

export const LEADERBOARD_USAGE = `usage: matrix-arena leaderboard --input FILE [--method METHOD] [--bootstrap N] [--baseline MODEL]
                                [--baseline-rating R] [--seed N] [--style-control] [--min-battles N] [--json]
                                [--score winrate|arena-hard|wildbench|lc --baseline MODEL]
  --input FILE        JSONL battle log: {model_a, model_b, winner} or {model_a, model_b, score} per line
  --method            bt (Bradley-Terry, default), elo (online Elo in time order), newman (BT with a tie
                      parameter, Newman's iteration), davidson (ties as their own outcome), counting,
                      average-win-rate, eigen, pagerank: definitions and defaults in docs/ratings.md
  --bootstrap N       bootstrap rounds for 95% intervals (default 100; 0 = none)
  --baseline MODEL    pin MODEL at --baseline-rating (default 1000); otherwise the mean is 1000
  --seed N            bootstrap seed (default 0)
  --style-control     BT with answer length and markdown controlled (needs conv_metadata in the log)
  --min-battles N     models with fewer decisive (non-tie) battles are provisional (default MATRIX_ARENA_MIN_BATTLES, 30)
  --json              print { method, connected, components, items: [...] } instead of a table
  --score NAME        scores against --baseline instead of ratings: winrate (ties as half), arena-hard
                      (strong verdicts x3, mean over both games), wildbench (WB-Reward), lc (AlpacaEval 2
                      length-controlled win rate; needs conv_metadata token counts); intervals are the
                      5% and 95% bootstrap percentiles; a log carries outcomes only, so every battle
                      counts as one plain game (see the printed definition and docs/scores.md)
Ranks: 1 + the number of models in the same component whose interval lies wholly above this one's.
`;

/** Most rejected lines listed on stderr before summarising the rest. */
const MAX_LISTED_REJECTS = 20;

interface CliArgs {
  input: string;
  json: boolean;
  options: LeaderboardOptions;
  /** With --score: the score against options.baseline instead of ratings. */
  score?: ScoreName;
}

type Parsed = { ok: true; args: CliArgs } | { ok: false; error: string } | { ok: "help" };

const VALUE_FLAGS = new Set(["--input", "--method", "--bootstrap", "--baseline", "--baseline-rating", "--seed", "--min-battles", "--score"]);

/** Splits argv into flag -> value (booleans as ""), accepting `--flag value` and `--flag=value`. */
function readFlags(argv: readonly string[]): Map<string, string> | string {
  const flags = new Map<string, string>();
  const rest = argv[0] === "leaderboard" ? argv.slice(1) : argv;
  for (let k = 0; k < rest.length; k++) {
    const arg = rest[k] ?? "";
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : rest[++k];
      if (value === undefined || value === "") return `${name} needs a value`;
      flags.set(name, value);
    } else if (["--json", "--style-control", "--help", "-h"].includes(arg)) {
      flags.set(arg, "");
    } else {
      return arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument ${arg}`;
    }
  }
  return flags;
}

function parseInteger(flags: Map<string, string>, name: string, fallback: number, min: number): number | string {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= min ? n : `${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`;
}

/** Parses the command's arguments; errors are messages for a usage error (exit 2). */
export function parseLeaderboardArgs(argv: readonly string[], defaultMinBattles = MIN_DECISIVE_BATTLES): Parsed {
  const flags = readFlags(argv);
  if (typeof flags === "string") return { ok: false, error: flags };
  if (flags.has("--help") || flags.has("-h")) return { ok: "help" };
  const input = flags.get("--input");
  if (input === undefined) return { ok: false, error: "--input FILE is required" };
  const method = flags.get("--method") ?? "bt";
  if (!isRatingMethod(method)) return { ok: false, error: `--method must be one of ${RATING_METHODS.join(", ")}, got ${JSON.stringify(method)}` };
  const bootstrap = parseInteger(flags, "--bootstrap", 100, 0);
  if (typeof bootstrap === "string") return { ok: false, error: bootstrap };
  const seed = parseInteger(flags, "--seed", 0, 0);
  if (typeof seed === "string") return { ok: false, error: seed };
  const minBattles = parseInteger(flags, "--min-battles", defaultMinBattles, 0);
  if (typeof minBattles === "string") return { ok: false, error: minBattles };
  const options: LeaderboardOptions = { method, bootstrap, seed, minBattles, styleControl: flags.has("--style-control") };
  const baseline = flags.get("--baseline");
  if (baseline !== undefined) options.baseline = baseline;
  const rating = flags.get("--baseline-rating");
  if (rating !== undefined) {
    const r = Number(rating);
    if (!Number.isFinite(r)) return { ok: false, error: `--baseline-rating must be a number, got ${JSON.stringify(rating)}` };
    options.baselineRating = r;
  }
  const score = flags.get("--score");
  if (score === undefined) return { ok: true, args: { input, json: flags.has("--json"), options } };
  if (!isScoreName(score)) return { ok: false, error: `--score must be one of ${SCORE_NAMES.join(", ")}, got ${JSON.stringify(score)}` };
  if (baseline === undefined) return { ok: false, error: "--score needs --baseline MODEL (the model every candidate is scored against)" };
  if (options.styleControl) return { ok: false, error: "--style-control does not apply with --score (--score lc controls for length)" };
  return { ok: true, args: { input, json: flags.has("--json"), options, score } };
}

/** Aligned rows of a score board, best first, with its definition and interval percentiles. */
export function formatScoreTable(board: ScoreBoard): string {
  const pct = (x: number | null): string => (x === null ? "-" : board.score === "wildbench" ? x.toFixed(3) : `${(100 * x).toFixed(1)}%`);
  const header = ["model", board.score, "5%..95%", "battles", "note"];
  const rows = board.items.map((it) => [it.model, pct(it.score), it.score === null ? "-" : `[${pct(it.ciLow)}, ${pct(it.ciHigh)}]`, String(it.battles), it.note ?? ""]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  ").trimEnd();
  const out = [`score: ${board.score} against baseline ${board.baseline}`, line(header), ...rows.map(line), `definition: ${board.definition}`];
  for (const it of board.items) for (const c of it.categories ?? []) out.push(`  ${it.model} / ${c.category || "(no category)"}: ${pct(c.score)} over ${c.battles} battles`);
  return `${out.join("\n")}\n`;
}

/** The score board of a log, or a usage error for an unknown baseline. */
function scoreLog(battles: Parameters<typeof logBattlesAgainst>[0], score: ScoreName, options: LeaderboardOptions): ScoreBoard {
  const baseline = options.baseline ?? "";
  const against = logBattlesAgainst(battles, baseline);
  return computeScoreBoard(score, against.battles, against.notAgainstBaseline, { baseline, bootstrap: options.bootstrap ?? 100, seed: options.seed ?? 0 });
}

/** Aligned rows for a set of items: rank, model, rating, interval, battles (decisive), win rate, note. */
function tableLines(items: readonly LeaderboardItem[], digits: number): string[] {
  const header = ["rank", "model", "rating", "95% CI", "battles", "decisive", "win rate", "note"];
  const rows = items.map((it) => [
    String(it.rank),
    it.model,
    it.rating.toFixed(digits),
    `[${it.ciLow.toFixed(digits)}, ${it.ciHigh.toFixed(digits)}]`,
    String(it.battles),
    String(it.decisive),
    `${(100 * it.winRate).toFixed(1)}%`,
    it.provisional ? "provisional" : "",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}

/**
 * Renders the board as aligned text: one table, or, when the comparison graph is not connected, one
 * table per component under its own heading (ratings are comparable only within a component).
 */
export function formatLeaderboardTable(board: Leaderboard, minBattles = MIN_DECISIVE_BATTLES): string {
  const out = [`method: ${board.method}`];
  // Elo points and counted points read well to a tenth; shares, eigenvector components and probabilities need four places.
  const digits = board.scale === undefined || board.scale === "elo" || board.scale === "points" ? 1 : 4;
  if (board.connected) out.push(...tableLines(board.items, digits));
  else {
    const n = board.components.length;
    out.push(`not connected: ${n} components; ratings are comparable only within a component, ranks count within it`);
    board.components.forEach((_, c) => {
      out.push("", `component ${c + 1} of ${n}`, ...tableLines(board.items.filter((it) => it.component === c), digits));
    });
  }
  out.push(...methodNotes(board));
  if (board.items.some((it) => it.provisional)) out.push(`provisional: fewer than ${minBattles} decisive (non-tie) battles; the rating is a rough guess`);
  if (board.style) {
    const coefs = board.style.estimates.map((e) =>
      e.estimate === null ? `${e.feature}=not identified` : `${e.feature}=${e.estimate.toFixed(3)} [${(e.ciLow ?? e.estimate).toFixed(3)}, ${(e.ciHigh ?? e.estimate).toFixed(3)}]`,
    );
    out.push(`style coefficients (log-odds per sd): ${coefs.join(" ")}`);
    if (!board.style.identified) out.push(`style control not identified: ${board.style.reason ?? "collinear features"}`);
  }
  return `${out.join("\n")}\n`;
}

/** Lines under the table: the scale and definition, the share of ties, the fitted tie parameter. */
function methodNotes(board: Leaderboard): string[] {
  const notes: string[] = [];
  if (board.scale) notes.push(`scale: ${board.scale}${board.definition ? `; ${board.definition}` : ""}`);
  if (board.ties !== undefined) notes.push(`ties: ${(100 * board.ties).toFixed(1)}% of battles`);
  const tp = board.tieParameter;
  if (tp) notes.push(`tie parameter: ${tp.value.toFixed(4)} [${tp.ciLow.toFixed(4)}, ${tp.ciHigh.toFixed(4)}]`);
  return notes;
}

/** Runs the command; returns the process exit code. `defaults.minBattles` is MATRIX_ARENA_MIN_BATTLES from the config. */
export async function runLeaderboard(argv: string[], io: LeaderboardIo = defaultLeaderboardIo(), defaults: { minBattles: number } = { minBattles: MIN_DECISIVE_BATTLES }): Promise<number> {
  const parsed = parseLeaderboardArgs(argv, defaults.minBattles);
  if (parsed.ok === "help") {
    io.stdout(LEADERBOARD_USAGE);
    return 0;
  }
  if (!parsed.ok) {
    io.stderr(`error: ${parsed.error}\n${LEADERBOARD_USAGE}`);
    return 2;
  }
  const { input, json, options, score } = parsed.args;
  // BT and the tally methods depend on the battles only through their counts: the log is counted as it
  // is read. Elo (battle order), style control (per-battle features) and scores need the battles.
  const countable = score === undefined && options.method !== "elo" && !options.styleControl;
  let read: { rejected: { line: number; reason: string }[]; accepted: number; board: () => Leaderboard | ScoreBoard };
  try {
    read = countable ? await readCounted(await io.readFile(input), options) : await readWhole(await io.readFile(input), options, score);
  } catch (err) {
    io.stderr(`error: cannot read ${input}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  reportRejected(io, read.rejected);
  if (read.accepted === 0) {
    io.stderr(`error: no valid battles in ${input}\n`);
    return 1;
  }
  let board: Leaderboard | ScoreBoard;
  try {
    board = read.board();
  } catch (err) {
    if (!(err instanceof RatingInputError)) throw err;
    io.stderr(`error: ${err.message}\n`);
    return 2;
  }
  io.stderr(`${read.accepted} battles read, ${read.rejected.length} lines rejected\n`);
  io.stdout(json ? `${JSON.stringify(board)}\n` : "ciPercentiles" in board ? formatScoreTable(board) : formatLeaderboardTable(board, options.minBattles));
  return 0;
}

type LogInput = Awaited<ReturnType<LeaderboardIo["readFile"]>>;

/**
 * The log counted (tallyBattleLog): a log of plain lines only is rated from its counts
 * (leaderboardFromCounts); one with other lines (weights, optional fields) expands the counts back into
 * battles beside them, and the board is the same as from the battles in log order (BT and the tally
 * methods do not depend on order; tests/unit/leaderboard-cli-counts.test.ts checks it).
 */
async function readCounted(input: LogInput, options: LeaderboardOptions) {
  const log = await tallyBattleLog(input);
  const board = (): Leaderboard => {
    if (log.battles.length === 0) {
      const { method, bootstrap, baseline, baselineRating, seed, minBattles } = options;
      return leaderboardFromCounts(log.counts, { method: method === "elo" ? "bt" : method, bootstrap, baseline, baselineRating, seed, minBattles });
    }
    const battles: Battle[] = [];
    for (const c of log.counts) for (let k = 0; k < c.count; k++) battles.push({ modelA: c.modelA, modelB: c.modelB, outcome: c.outcome });
    for (const b of log.battles) battles.push(b);
    return computeLeaderboard(battles, options);
  };
  return { rejected: log.rejected, accepted: log.accepted, board };
}

/** The log read whole, for Elo, style control and scores. */
async function readWhole(input: LogInput, options: LeaderboardOptions, score: ScoreName | undefined) {
  const log = await collectBattleLog(input);
  const board = (): Leaderboard | ScoreBoard => (score !== undefined ? scoreLog(log.battles, score, options) : computeLeaderboard(log.battles, options));
  return { rejected: log.rejected, accepted: log.battles.length, board };
}

function reportRejected(io: LeaderboardIo, rejected: readonly { line: number; reason: string }[]): void {
  for (const r of rejected.slice(0, MAX_LISTED_REJECTS)) io.stderr(`line ${r.line}: ${r.reason}\n`);
  if (rejected.length > MAX_LISTED_REJECTS) io.stderr(`... and ${rejected.length - MAX_LISTED_REJECTS} more rejected lines\n`);
}

/** Real process I/O: stdout/stderr writes and a streaming file read, in bytes (reports/battle-log-bytes.ts reads the usual line from them). */
export function defaultLeaderboardIo(): LeaderboardIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: (path) => createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
  };
}
