/**
 * An edit of a judge template and a round created on the same version are ordered by the version
 * row's lock (a round holds it for share while it is written, an edit takes it for update): an edit
 * that waits on a round being written sees the round and makes a new version, and a round that waits
 * on an edit is written once the edit is, on the edited text. PostgreSQL only: PGlite has one
 * connection, so two transactions never interleave there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client.js";
import { findTemplate } from "../../db/judge-templates.js";
import { instructions, rounds } from "../../db/schema/index.js";
import { createRoundPlan } from "../../battles/round-store.js";
import { createTemplate, patchTemplate } from "../../src/services/judge-templates.js";
import { dbTargets } from "../helpers/db.js";

const pg = dbTargets().filter((t) => t.name === "postgres" && t.available);
const USER = "<question>{{question}}</question><answer_a>{{answer_a}}</answer_a><answer_b>{{answer_b}}</answer_b>";
const template = (name: string) => ({ name, mode: "pairwise" as const, systemPrompt: "Judge.", userTemplate: USER, output: { kind: "labels" as const } });
const options = (promptVersion: string) => ({ instructions: {}, jury: "mean" as const, swapRule: "soft" as const, promptVersion, useReference: true, maxAttempts: 3, invalidRetries: 2 });

/** A promise and its resolver, to hold a transaction open until the test lets it go. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}
const settledWithin = async (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe.skipIf(pg.length === 0)("judge template edits against rounds being created (PostgreSQL)", () => {
  let h: DbHandle;
  beforeAll(async () => {
    const target = pg[0];
    if (target) h = await target.open();
    await h.db.insert(instructions).values({ contentHash: "h1", messages: [{ role: "user", content: "q" }], text: "q" });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("an edit waiting on a round being written makes a new version", async () => {
    await createTemplate(h.db, template("t-one"), null);
    const g = gate();
    const locked = gate();
    const writing = h.db.transaction(async (tx) => {
      await findTemplate(tx, "t-one", 1, "share");
      locked.open();
      await g.wait;
      await tx.insert(rounds).values({ id: "r-one", pairing: "all-pairs", candidates: ["a", "b"], judges: ["j"], options: options("t-one@1") });
    });
    await locked.wait;
    const edit = patchTemplate(h.db, "t-one", { systemPrompt: "Judge harder." }, null);
    expect(await settledWithin(edit, 300)).toBe(false);
    g.open();
    await writing;
    const out = await edit;
    expect([out.created, out.template.version]).toEqual([true, 2]);
    expect((await findTemplate(h.db, "t-one", 1))?.systemPrompt).toBe("Judge.");
  });

  it("a round waiting on an edit is written after it, on the edited version", async () => {
    await createTemplate(h.db, template("t-two"), null);
    const g = gate();
    const locked = gate();
    const editing = h.db.transaction(async (tx) => {
      await findTemplate(tx, "t-two", null, "update");
      locked.open();
      await g.wait;
    });
    await locked.wait;
    const round = createRoundPlan(h.db, { id: "r-two", candidates: ["a", "b"], judges: ["j"], pairing: "all-pairs", judgeMode: "pairwise", options: options("t-two@1") });
    expect(await settledWithin(round, 300)).toBe(false);
    g.open();
    await editing;
    expect((await round).round.options.promptVersion).toBe("t-two@1");
  });
});
