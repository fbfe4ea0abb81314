/**
 * The budget ledger on every driver: concurrent reservations never sum past the cap, settle and
 * release move reserved to spent, overshoot is recorded, and a budget row's absence means no cap.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBudget, reserveSpend, setBudgetCaps, settleSpend } from "../../db/budget-ledger.js";
import type { DbHandle } from "../../db/client.js";
import { describeEachDb } from "../helpers/db.js";

describeEachDb("budget ledger on $name", (target) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await target.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("lets 64 concurrent reservations take no more than the cap", async () => {
    const key = { scope: "round" as const, ownerId: "ledger-1" };
    await setBudgetCaps(h.db, key, { maxCostUsd: 1, maxTokens: 1000 });
    const results = await Promise.all(Array.from({ length: 64 }, () => reserveSpend(h.db, key, { costUsd: 0.07, tokens: 10 })));
    // 14 x 0.07 = 0.98 fits, a 15th would not; nothing is settled yet, so the others must wait.
    expect(results.filter((r) => r === "reserved").length).toBe(14);
    expect(results.filter((r) => r === "wait").length).toBe(50);
    const row = await readBudget(h.db, key);
    expect(row?.reservedCostUsd).toBeCloseTo(0.98, 12);
    expect(row?.reservedTokens).toBe(140);
  });

  it("settles, releases, records overshoot, and says never once settled spend leaves no room", async () => {
    const key = { scope: "run" as const, ownerId: "ledger-2" };
    await setBudgetCaps(h.db, key, { maxCostUsd: 0.1 });
    const est = { costUsd: 0.04, tokens: 100 };
    expect(await reserveSpend(h.db, key, est)).toBe("reserved");
    expect(await reserveSpend(h.db, key, est)).toBe("reserved");
    expect(await reserveSpend(h.db, key, est)).toBe("wait");
    await settleSpend(h.db, key, est, { costUsd: 0.05, tokens: 90 });
    await settleSpend(h.db, key, est, null);
    const row = await readBudget(h.db, key);
    expect(row).toMatchObject({ reservedTokens: 0, spentTokens: 90, overshootCalls: 1, overshootTokens: 0 });
    expect(row?.reservedCostUsd).toBeCloseTo(0, 12);
    expect(row?.spentCostUsd).toBeCloseTo(0.05, 12);
    expect(row?.overshootCostUsd).toBeCloseTo(0.01, 12);
    expect(await reserveSpend(h.db, key, { costUsd: 0.06, tokens: 1 })).toBe("never");
    expect(await reserveSpend(h.db, { scope: "run", ownerId: "no-budget" }, est)).toBe("reserved");
  });
});
