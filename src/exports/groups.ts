/**
 * Instruction groups for training-data exports, streamed from the database round by round and, in
 * each round, page by page over instruction ids (keyset on the (round_id, instruction_id, ...)
 * unique index), so memory stays constant at any size. This is the hot path of large exports: it
 * uses three range-bounded raw queries per page instead of mapped query-builder results, and hands
 * out a page of groups at a time so the consumer pays one await per page, not per row.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { multiTurnPromptVersion, roundPromptVersion, type RoundRow } from "../../battles/round-store.js";
import type { GroupBattle, InstructionGroup, PromptMessage } from "./select-types.js";

// Instructions per page. With PREFETCH pages loading ahead, 200 measured best on 1M DPO rows
// (bench export): 1,000 made PostgreSQL's page queries costlier, 500 held more data in the heap.
const PAGE = 200;

/** Rows of `db.execute` on either driver (postgres.js gives an array, PGlite `{ rows }`). */
function rowsOf<T>(res: unknown): T[] {
  return (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as T[];
}

/** The last instruction id of the next page, or null when the round has no more. */
async function pageEnd(db: Db, roundId: string, after: number): Promise<number | null> {
  const rows = rowsOf<{ id: string | number }>(
    await db.execute(sql`select max(instruction_id) as id from (select distinct instruction_id from battles
      where round_id = ${roundId} and instruction_id > ${after} order by instruction_id limit ${PAGE}) p`),
  );
  const id = rows[0]?.id;
  return id === null || id === undefined ? null : Number(id);
}

interface InsRow { id: string | number; messages: PromptMessage[] | string; turns: string[] | string | null; category: string; complexity: number | null; source: string }
interface BattleRow { id: string | number; instruction_id: string | number; model_a: string; model_b: string; outcome: number; margin: number | null; label_source: string }
interface StoredTurn { text: string; trace: string | null }
interface ResponseRow { id: string | number; instruction_id: string | number; model: string; text: string; trace?: string | null; turns: StoredTurn[] | string | null }

/** jsonb as either driver hands it back (parsed, or text). */
function jsonOf<T>(v: T | string): T {
  return typeof v === "string" ? (JSON.parse(v) as T) : v;
}

/** Which stored columns an export reads beyond the final answers. */
export interface GroupColumns {
  /** Read the answers' reasoning traces (an export with `traces=keep`); they are skipped otherwise. */
  traces?: boolean;
}

async function loadPage(db: Db, roundId: string, after: number, upto: number, cols: GroupColumns) {
  const [ins, bs, rs] = await Promise.all([
    db.execute(sql`select id, messages, turns, category, complexity, source from instructions
      where id in (select distinct instruction_id from battles where round_id = ${roundId} and instruction_id > ${after} and instruction_id <= ${upto})
      order by id`),
    db.execute(sql`select id, instruction_id, model_a, model_b, outcome, margin, label_source from battles
      where round_id = ${roundId} and instruction_id > ${after} and instruction_id <= ${upto} and status = 'done' and outcome is not null
      order by id`),
    cols.traces === true
      ? db.execute(sql`select id, instruction_id, model, text, trace, turns from responses
      where round_id = ${roundId} and instruction_id > ${after} and instruction_id <= ${upto}`)
      : db.execute(sql`select id, instruction_id, model, text, turns from responses
      where round_id = ${roundId} and instruction_id > ${after} and instruction_id <= ${upto}`),
  ]);
  return { ins: rowsOf<InsRow>(ins), bs: rowsOf<BattleRow>(bs), rs: rowsOf<ResponseRow>(rs) };
}

interface LoadedPage {
  upto: number;
  ins: InsRow[];
  bs: BattleRow[];
  rs: ResponseRow[];
}

/** Pages loading ahead of the one being consumed: the database works while the caller formats. */
const PREFETCH = 4;

/**
 * One round's pages, in instruction id order: each page is an array of whole instruction groups.
 * Page bounds come from a small index-only query chained ahead, so up to `PREFETCH` pages load in
 * parallel with the consumer; a consumer that stops early leaves them to settle unobserved.
 */
async function* roundGroupPages(db: Db, round: RoundRow, cols: GroupColumns): AsyncGenerator<InstructionGroup[]> {
  const queue: Promise<LoadedPage | null>[] = [];
  // `after` of the next page to schedule; null once a bound query found the end.
  let cursor: Promise<number | null> = Promise.resolve(0);
  const schedule = (): void => {
    const after = cursor;
    const upto = after.then((a) => (a === null ? null : pageEnd(db, round.id, a)));
    cursor = upto;
    const page = Promise.all([after, upto]).then(async ([a, u]) =>
      a === null || u === null ? null : { upto: u, ...(await loadPage(db, round.id, a, u, cols)) },
    );
    // Errors surface when the page is awaited below; this only keeps an abandoned prefetch quiet.
    page.catch(() => {});
    queue.push(page);
  };
  for (let i = 0; i <= PREFETCH; i++) schedule();
  for (;;) {
    const next = queue.shift();
    if (next === undefined) return;
    const page = await next;
    if (page === null) return;
    schedule();
    yield pageGroups(round, page);
  }
}

function pageGroups(round: RoundRow, page: LoadedPage): InstructionGroup[] {
  const judges = round.judges;
  const versions = [roundPromptVersion(round)];
  const multiVersion = multiTurnPromptVersion(round);
  const multiVersions = multiVersion === null ? versions : [multiVersion];
  const { ins, bs, rs } = page;
  const battlesBy = new Map<number, GroupBattle[]>();
  const multiTurnIds = new Set(ins.filter((i) => i.turns !== null && jsonOf(i.turns).length > 1).map((i) => Number(i.id)));
  for (const b of bs) {
    const key = Number(b.instruction_id);
    let list = battlesBy.get(key);
    if (!list) battlesBy.set(key, (list = []));
    const battle: GroupBattle = { battleId: String(b.id), roundId: round.id, iterationId: round.iterationId, modelA: b.model_a, modelB: b.model_b, outcome: Number(b.outcome), margin: Number(b.margin ?? 0), judges, promptVersions: multiTurnIds.has(key) ? multiVersions : versions };
    // A review override (battles.label_source) made `outcome` a person's verdict.
    if (b.label_source === "human") battle.humanLabel = true;
    list.push(battle);
  }
  const answersBy = new Map<number, InstructionGroup["answers"]>();
  for (const r of rs) {
    const key = Number(r.instruction_id);
    let list = answersBy.get(key);
    if (!list) answersBy.set(key, (list = []));
    const answer: InstructionGroup["answers"][number] = r.trace === undefined ? { model: r.model, responseId: String(r.id), text: r.text } : { model: r.model, responseId: String(r.id), text: r.text, trace: r.trace };
    // A multi-turn answer: its turns before the last (traces only when the export reads them).
    if (r.turns !== null) answer.earlier = jsonOf(r.turns).slice(0, -1).map((t) => (r.trace === undefined ? { text: t.text } : { text: t.text, trace: t.trace }));
    list.push(answer);
  }
  const groups: InstructionGroup[] = [];
  for (const i of ins) {
    const id = Number(i.id);
    const group: InstructionGroup = {
      instruction: { id: String(id), messages: typeof i.messages === "string" ? (JSON.parse(i.messages) as PromptMessage[]) : i.messages, category: i.category, complexity: i.complexity, source: i.source },
      answers: answersBy.get(id) ?? [],
      battles: battlesBy.get(id) ?? [],
    };
    const turns = i.turns === null ? null : jsonOf(i.turns);
    if (turns !== null && turns.length > 1) group.instruction.turns = turns;
    if (round.target) group.target = round.target;
    groups.push(group);
  }
  return groups;
}

/** Pages of several rounds, one round after another. */
export async function* exportGroupPages(db: Db, rounds: readonly RoundRow[], cols: GroupColumns = {}): AsyncGenerator<InstructionGroup[]> {
  for (const r of rounds) yield* roundGroupPages(db, r, cols);
}
