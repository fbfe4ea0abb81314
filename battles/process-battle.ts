/**
 * Judges one claimed battle end to end: both candidates' answers (stored once per round), every
 * judge's games, the jury's pooled outcome. Provider failures surface as `JobError`.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { instructions, type StoredStyle } from "../db/schema/index.js";
import { type CombinedOutcome, poolJury } from "../judges/index.js";
import { conversationOf } from "./conversation.js";
import { judgePairwise, judgeReward, judgeSingle, type GameContext } from "./judging.js";
import { loadJudgeTemplate } from "./judge-template.js";
import type { BattleLlm, LlmMessage } from "./llm.js";
import type { BattleResult, BattleRow } from "./queue.js";
import { ensureResponse, requireAnswer, type ResponseRow } from "./responses.js";
import type { SingleFlight } from "../lib/single-flight.js";
import { multiTurnPromptVersion, roundPromptVersion, type RoundRow } from "./round-store.js";
import { allOrFirstError } from "./all-settled.js";
import type { RoundBudget } from "./budget.js";

export interface ProcessDeps {
  db: Db;
  llm: BattleLlm;
  /** Style features of an answer (length, markdown), stored for style-controlled ratings. */
  style?: (text: string) => StoredStyle;
  /** Candidate answers in flight in this worker, shared by battles that need the same one. */
  answers?: SingleFlight<ResponseRow>;
}

/** An answer with its trace in front, for rounds whose judges are shown traces. */
function withTraceShown(r: Pick<ResponseRow, "trace" | "text">): string {
  return r.trace === null ? r.text : `[Reasoning trace]\n${r.trace}\n[End of reasoning trace]\n\n${r.text}`;
}

/** `budget`: the round's budget (battles/budget.ts), null when it has none. */
export async function processBattle(deps: ProcessDeps, b: BattleRow, round: RoundRow, budget: RoundBudget | null): Promise<BattleResult> {
  if (b.roundId === null || b.instructionId === null) throw new Error(`battle ${b.id} has no round or instruction`);
  const [ins] = await deps.db.select().from(instructions).where(eq(instructions.id, b.instructionId));
  if (!ins) throw new Error(`instruction ${b.instructionId} not found`);
  const messages = ins.messages as LlmMessage[];
  const turns = ins.turns !== null && ins.turns.length > 1 ? ins.turns : null;
  const instruction = { id: ins.id, messages, turns };
  // The judge template first: a round whose template is missing fails before any answer is paid for.
  // A multi-turn instruction is judged on conversations: with the multi-turn built-in of the round's mode
  // and `judgeTurns`, unless the round names a user template (whose {{conversation_a}} etc. show them).
  const version = (turns !== null ? multiTurnPromptVersion(round) : null) ?? roundPromptVersion(round);
  const pairwise = round.judgeMode === "pairwise" ? await loadJudgeTemplate(deps.db, version, "pairwise") : null;
  const single = round.judgeMode === "single" ? await loadJudgeTemplate(deps.db, version, "single") : null;
  const [ra, rb] = await allOrFirstError([
    ensureResponse(deps.db, deps.llm, b.roundId, instruction, b.modelA, budget, deps.answers),
    ensureResponse(deps.db, deps.llm, b.roundId, instruction, b.modelB, budget, deps.answers),
  ]);
  requireAnswer(ra);
  requireAnswer(rb);
  const options = round.options;
  const shown = (r: Pick<ResponseRow, "trace" | "text">) => (options.judgeSeesTraces === true ? withTraceShown(r) : r.text);
  // Each turn's trace is stripped (or shown) as the final answer's is.
  const conversation = (r: ResponseRow) => (turns && r.turns ? conversationOf(messages, turns, r.turns.map((t) => shown(t))) : undefined);
  const conversationA = conversation(ra);
  const conversationB = conversation(rb);
  const jurors = await allOrFirstError(
    round.judges.map(async (judge): Promise<CombinedOutcome & { judge: string }> => {
      const ctx: GameContext = {
        db: deps.db,
        llm: deps.llm,
        battleId: b.id,
        roundId: round.id,
        budget,
        judge,
        question: messages,
        // Judges see final answers; a round may show them the traces too.
        answerA: shown(ra),
        answerB: shown(rb),
        conversationA,
        conversationB,
        reference: options.useReference ? ins.reference : null,
        invalidRetries: options.invalidRetries,
        swapRule: options.swapRule,
      };
      const res = single ? await judgeSingle(ctx, single) : pairwise ? await judgePairwise(ctx, pairwise) : await judgeReward(ctx);
      return { ...res, judge };
    }),
  );
  const pooled = poolJury(jurors, options.jury);
  // Style features describe the final answer only (a hidden trace is no part of its length or markdown).
  return {
    outcome: pooled.outcome,
    margin: pooled.outcome === null ? null : pooled.margin,
    styleA: deps.style?.(ra.text),
    styleB: deps.style?.(rb.text),
  };
}
