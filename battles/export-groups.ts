/**
 * Instruction groups for training-data exports, streamed from the database round by round and, in
 * each round, page by page over instruction ids (keyset), so memory stays constant at any size.
 */
import { and, asc, eq, gt, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { battles, instructions, responses } from "../db/schema/index.js";
import { DEFAULT_PAIRWISE_VERSION, DEFAULT_SINGLE_VERSION } from "../judges/index.js";
import type { RoundOptions, RoundRow } from "./round-store.js";
import type { GroupBattle, InstructionGroup, PromptMessage } from "./selection.js";

const PAGE = 500;

function promptVersion(round: RoundRow): string {
  const o = round.options as unknown as RoundOptions;
  if (o.promptVersion) return o.promptVersion;
  return round.judgeMode === "single" ? DEFAULT_SINGLE_VERSION : round.judgeMode === "reward" ? "reward@1" : DEFAULT_PAIRWISE_VERSION;
}

async function pageIds(db: Db, roundId: string, after: number): Promise<number[]> {
  const rows = await db
    .selectDistinct({ id: battles.instructionId })
    .from(battles)
    .where(and(eq(battles.roundId, roundId), eq(battles.status, "done"), isNotNull(battles.outcome), gt(battles.instructionId, after)))
    .orderBy(asc(battles.instructionId))
    .limit(PAGE);
  return rows.map((r) => r.id).filter((x): x is number => x !== null);
}

/** One round's groups, in instruction id order. */
export async function* roundGroups(db: Db, round: RoundRow): AsyncGenerator<InstructionGroup> {
  const judges = round.judges;
  const versions = [promptVersion(round)];
  let after = 0;
  for (;;) {
    const ids = await pageIds(db, round.id, after);
    if (ids.length === 0) return;
    after = ids[ids.length - 1] ?? after;
    const [ins, bs, rs] = await Promise.all([
      db.select({ id: instructions.id, messages: instructions.messages, category: instructions.category, complexity: instructions.complexity, source: instructions.source }).from(instructions).where(inArray(instructions.id, ids)),
      db
        .select({ id: battles.id, instructionId: battles.instructionId, modelA: battles.modelA, modelB: battles.modelB, outcome: battles.outcome, margin: battles.margin })
        .from(battles)
        .where(and(eq(battles.roundId, round.id), inArray(battles.instructionId, ids), eq(battles.status, "done"), isNotNull(battles.outcome)))
        .orderBy(asc(battles.id)),
      db.select({ id: responses.id, instructionId: responses.instructionId, model: responses.model, text: responses.text }).from(responses).where(and(eq(responses.roundId, round.id), inArray(responses.instructionId, ids))),
    ]);
    const battlesBy = new Map<number, GroupBattle[]>();
    for (const b of bs) {
      const list = battlesBy.get(b.instructionId ?? 0) ?? [];
      list.push({ battleId: String(b.id), roundId: round.id, iterationId: round.iterationId, modelA: b.modelA, modelB: b.modelB, outcome: b.outcome ?? 0.5, margin: b.margin ?? 0, judges, promptVersions: versions });
      battlesBy.set(b.instructionId ?? 0, list);
    }
    const answersBy = new Map<number, InstructionGroup["answers"]>();
    for (const r of rs) {
      const list = answersBy.get(r.instructionId) ?? [];
      list.push({ model: r.model, responseId: String(r.id), text: r.text });
      answersBy.set(r.instructionId, list);
    }
    ins.sort((a, b) => a.id - b.id);
    for (const i of ins) {
      const group: InstructionGroup = {
        instruction: { id: String(i.id), messages: i.messages as PromptMessage[], category: i.category, complexity: i.complexity, source: i.source },
        answers: answersBy.get(i.id) ?? [],
        battles: battlesBy.get(i.id) ?? [],
      };
      if (round.target) group.target = round.target;
      yield group;
    }
  }
}

/** Groups of several rounds, one round after another. */
export async function* exportGroups(db: Db, rounds: readonly RoundRow[]): AsyncGenerator<InstructionGroup> {
  for (const r of rounds) yield* roundGroups(db, r);
}
