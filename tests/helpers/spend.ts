/**
 * Test helper: a round's spend summed over its stored rows, to check the running counters of
 * battles/spend.ts against.
 */
import { eq, sql } from "drizzle-orm";
import type { RoundSpend } from "../../battles/spend.js";
import type { Db } from "../../db/client.js";
import { battles, judgments, responses } from "../../db/schema/index.js";

const num = (x: unknown) => Number(x ?? 0);

/** What `roundSpend` reads from the counters, summed over the round's stored answers and judgments. */
export async function sumRoundSpend(db: Db, roundId: string): Promise<RoundSpend> {
  const [r] = await db
    .select({
      n: sql<number>`count(*)::int`,
      p: sql<number>`coalesce(sum(${responses.promptTokens}), 0)::float8`,
      c: sql<number>`coalesce(sum(${responses.completionTokens}), 0)::float8`,
      cost: sql<number>`coalesce(sum(${responses.costUsd}), 0)::float8`,
    })
    .from(responses)
    .where(eq(responses.roundId, roundId));
  const [j] = await db
    .select({
      n: sql<number>`count(*)::int`,
      invalid: sql<number>`count(*) filter (where not ${judgments.valid})::int`,
      p: sql<number>`coalesce(sum(${judgments.promptTokens}), 0)::float8`,
      c: sql<number>`coalesce(sum(${judgments.completionTokens}), 0)::float8`,
      cost: sql<number>`coalesce(sum(${judgments.costUsd}), 0)::float8`,
    })
    .from(judgments)
    .innerJoin(battles, eq(battles.id, judgments.battleId))
    .where(eq(battles.roundId, roundId));
  const prompt = num(r?.p) + num(j?.p);
  const completion = num(r?.c) + num(j?.c);
  return {
    responses: num(r?.n),
    judgments: { total: num(j?.n), invalid: num(j?.invalid) },
    tokens: { prompt, completion, total: prompt + completion },
    costUsd: num(r?.cost) + num(j?.cost),
  };
}
