/**
 * Loads, once per export, what the export must withhold (src/exports/withheld.ts decides per group):
 * the instructions every loop holds out with their normalised texts, and the uploaded benchmark
 * prompts as an exact-match map and the generator's 13-gram decontamination index. A flag that
 * includes a kind skips nothing here: its matches are still counted, so the card can say they are in.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { instructions, iterations, loops, loopShards } from "../../db/schema/index.js";
import { firstUserText, type WithheldSets } from "./withheld.js";
import { benchmarkSetsFor } from "../generator/stores/decontam-sets.js";
import { buildDecontamIndex } from "../generator/clean/decontaminate.js";
import { foldToWordText } from "../../lib/text.js";

/** Shard number of a loop's held-out evaluation set (see db/schema/loop.ts). */
const EVAL_SHARD = -1;

export async function loadWithheldSets(db: Db): Promise<WithheldSets> {
  const held = await db
    .selectDistinct({ id: instructions.id, messages: instructions.messages })
    .from(loopShards)
    .innerJoin(instructions, eq(instructions.id, loopShards.instructionId))
    .where(eq(loopShards.shard, EVAL_SHARD));
  const heldOutIds = new Set(held.map((h) => String(h.id)));
  const heldOutTexts = new Set(held.map((h) => foldToWordText(firstUserText(h.messages))).filter((t) => t !== ""));
  const sets = await benchmarkSetsFor(db);
  const benchmarkExact = new Set(sets.flatMap((set) => set.prompts.map((p) => foldToWordText(p.text))).filter((t) => t !== ""));
  return { heldOutIds, heldOutTexts, benchmarkExact, decontam: sets.length > 0 ? buildDecontamIndex(sets) : null };
}

/** The loop iteration whose evaluation round this is, or null for any other round. */
export async function evalRoundOwner(db: Db, roundId: string): Promise<{ loop: string; iteration: number } | null> {
  const [row] = await db
    .select({ loop: loops.name, iteration: iterations.number })
    .from(iterations)
    .innerJoin(loops, eq(loops.id, iterations.loopId))
    .where(eq(iterations.evalRoundId, roundId))
    .limit(1);
  return row ?? null;
}
