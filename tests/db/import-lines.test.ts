/**
 * Imports reject by line, never as a whole: each bad line of POST /v1/battles/import and
 * POST /v1/instructions (NDJSON or JSON) gets a rejected entry naming the field, every good line is
 * stored, the answer's counts equal the rows in the database afterwards, and a rerun changes nothing.
 * The bad lines are the ones the database itself would refuse (NUL, lone surrogates, index-sized
 * strings, non-finite numbers) as well as broken lines (invalid JSON, non-objects, BOM, CRLF, truncation).
 */
import { count, eq, sum } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { battleCells, battles, instructions } from "../../db/schema/index.js";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { describeEachDb } from "../helpers/db.js";

const BIG = "m".repeat(10_000);
/** Battle log lines (1-based line number -> expected field in the reason, or null for a good line). */
const BATTLE_LINES: { text: string; field: string | null }[] = [
  { text: '\uFEFF{"id":"g1","model_a":"a","model_b":"b","winner":"model_a"}', field: null },
  { text: '{"id":"x2","model_a":"a\\u0000z","model_b":"b","winner":"tie"}', field: "model_a" },
  { text: '{"id":"g3","model_a":"b","model_b":"c","score":0.25}\r', field: null },
  { text: '{"id":"x4","model_a":"a","model_b":"c","winner":"tie","category":"\\ud800"}', field: "category" },
  { text: `{"id":"x5","model_a":"a","model_b":"${BIG}","winner":"tie"}`, field: "model_b" },
  { text: '{"id":"x6","model_a":"a",', field: "invalid JSON" },
  { text: "[1,2]", field: "line" },
  { text: "", field: null },
  { text: '{"id":"x9","model_a":"a","model_b":"b","score":"NaN"}', field: "score" },
  { text: '{"id":"x10","model_a":"a","model_b":"b","winner":"tie","tstamp":1e300}', field: "tstamp" },
  { text: '{"id":"x11","model_a":"a","model_b":"b","winner":"tie","judge":"j\\u0000"}', field: "judge" },
  { text: `{"id":"${"i".repeat(5000)}","model_a":"a","model_b":"b","winner":"tie"}`, field: "id" },
  { text: '{"id":"g1","model_a":"a","model_b":"b","winner":"model_b"}', field: null },
  {
    text: JSON.stringify({
      id: "x14",
      model_a: "a",
      model_b: "b",
      winner: "tie",
      conv_metadata: Object.fromEntries(
        ["sum_assistant_a_tokens", "sum_assistant_b_tokens", "header_count_a", "header_count_b", "list_count_a", "list_count_b", "bold_count_a", "bold_count_b"].map((k) => [k, { h1: 1e308, h2: 1e308 }]),
      ),
    }),
    field: "conv_metadata",
  },
  { text: '{"id":"x15","model_a":"\\udfff","model_b":"b","winner":"tie"}', field: "model_a" },
  { text: '{"id":"g16","model_a":"c","model_b":"a","winner":"tie (bothbad)","category":"coding","tstamp":1700000000}\r', field: null },
  { text: '{"id":"x17","model_a":"a","model_b":"b","win', field: "invalid JSON" },
];

/** NDJSON instruction lines (0-based index -> expected field, or null for a good line). */
const INSTRUCTION_LINES: { text: string; field: string | null }[] = [
  { text: '\uFEFF{"text":"Question zero?"}', field: null },
  { text: '{"text":"bad \\u0000 text"}', field: "text" },
  { text: '{"text":"meta surrogate","metadata":{"k":"\\ud800"}}', field: "metadata.k" },
  { text: '{"text":"meta key","metadata":{"a\\u0000b":1}}', field: "metadata" },
  { text: '{"text":"First with e1","source":"s","externalId":"e1"}', field: null },
  { text: '{"text":"Second with e1","source":"s","externalId":"e1"}', field: null },
  { text: '{"text":"bad source","source":"s\\u0000"}', field: "source" },
  { text: '{"messages":[{"role":"user","content":"x\\u0000"}]}', field: "messages.0.content" },
  { text: '{"text":"bad reference","reference":"r\\u0000"}', field: "reference" },
  { text: '{"text":"bad external id","externalId":"\\u0000"}', field: "externalId" },
  { text: '{"text":"huge number","metadata":{"n":1e400}}', field: "metadata.n" },
  { text: "[1]", field: "item" },
  { text: "", field: null },
  { text: '{"text":"Crlf line.","metadata":{"deep":{"ok":[1,"two",null]}}}\r', field: null },
  { text: '{"text":"Question zero?"}', field: null },
  { text: '{"text":"trunc', field: "invalid JSON" },
];


describeEachDb("imports reject by line on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open());
  });
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });
  const ndjson = (path: string, body: string) => t.req("POST", path, body, { headers: { "content-type": "application/x-ndjson" } });
  const dbCounts = async () => {
    const [b] = await t.deps.db.select({ n: count() }).from(battles).where(eq(battles.source, "import"));
    const [c] = await t.deps.db.select({ n: sum(battleCells.count) }).from(battleCells);
    const [i] = await t.deps.db.select({ n: count() }).from(instructions);
    return { battles: b?.n ?? -1, cells: Number(c?.n ?? 0), instructions: i?.n ?? -1 };
  };

  it("battle import: each bad line rejected by 1-based line and field, good lines stored, counts equal the database", async () => {
    const body = BATTLE_LINES.map((l) => l.text).join("\n");
    const res = await ndjson("/v1/battles/import", body);
    expect(res.status).toBe(200);
    const out = await json<{ imported: number; skipped: number; rejected: { line: number; reason: string }[]; rejectedCount: number }>(res);
    const expected = BATTLE_LINES.flatMap((l, i) => (l.field && l.text !== "" ? [{ line: i + 1, field: l.field }] : []));
    expect(out.rejected.map((r) => r.line)).toEqual(expected.map((e) => e.line));
    for (const [k, r] of out.rejected.entries()) expect(r.reason).toContain(expected[k]?.field);
    expect(out.rejectedCount).toBe(expected.length);
    // g1, g3, g16 stored; the second g1 is a duplicate id within the request.
    expect(out).toMatchObject({ imported: 3, skipped: 1 });
    expect(await dbCounts()).toMatchObject({ battles: 3, cells: 3 });

    const again = await json<{ imported: number; skipped: number; rejectedCount: number }>(await ndjson("/v1/battles/import", body));
    expect(again).toMatchObject({ imported: 0, skipped: 4, rejectedCount: expected.length });
    expect(await dbCounts()).toMatchObject({ battles: 3, cells: 3 });
  });

  it("instruction NDJSON: each bad line rejected by index and field, good lines stored, counts equal the database", async () => {
    const before = (await dbCounts()).instructions;
    const body = INSTRUCTION_LINES.map((l) => l.text).join("\n");
    const res = await ndjson("/v1/instructions", body);
    expect(res.status).toBe(200);
    const out = await json<{ inserted: number; duplicates: number; rejected: { index: number; reason: string }[] }>(res);
    const expected = INSTRUCTION_LINES.flatMap((l, i) => (l.field ? [{ index: i, field: l.field }] : []));
    expect(out.rejected.map((r) => r.index)).toEqual(expected.map((e) => e.index));
    for (const [k, r] of out.rejected.entries()) expect(r.reason).toContain(expected[k]?.field);
    // Stored: lines 0, 4 and 13; line 5 repeats (source, externalId) of line 4, line 14 repeats line 0.
    expect(out).toMatchObject({ inserted: 3, duplicates: 2 });
    expect((await dbCounts()).instructions - before).toBe(3);

    const again = await json<{ inserted: number; duplicates: number; rejected: unknown[] }>(await ndjson("/v1/instructions", body));
    expect(again).toMatchObject({ inserted: 0, duplicates: 5 });
    expect(again.rejected).toHaveLength(expected.length);
    expect((await dbCounts()).instructions - before).toBe(3);
  });

  it("a line that is not valid UTF-8 is rejected on its own, not stored with U+FFFD in its place", async () => {
    const bytes = (lines: string[], badAt: number) => {
      const enc = new TextEncoder();
      // "§" marks where the bad bytes go, inside a string value so the line is otherwise valid JSON.
      const parts = lines.map((l, i) => {
        const [head = "", tail = ""] = l.split("§");
        return i === badAt ? Uint8Array.from([...enc.encode(head), 0xff, 0xc3, ...enc.encode(tail)]) : enc.encode(l);
      });
      const nl = enc.encode("\n");
      return new Blob(parts.flatMap((p, i) => (i === 0 ? [p] : [nl, p])));
    };
    const before = await dbCounts();
    const battleLines = ['{"id":"u1","model_a":"u-a","model_b":"u-b","winner":"tie"}', '{"id":"u2","model_a":"u-a§","model_b":"u-c","winner":"tie"}', '{"id":"u3","model_a":"u-c","model_b":"u-b","winner":"tie"}'];
    const b = await t.app.request("/v1/battles/import", { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: bytes(battleLines, 1) });
    expect(await json(b)).toMatchObject({ imported: 2, skipped: 0, rejected: [{ line: 2, reason: "invalid UTF-8" }] });
    const instructionLines = ['{"text":"utf one"}', '{"text":"utf two with a bad byte §"}', '{"text":"utf three"}'];
    const i = await t.app.request("/v1/instructions", { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: bytes(instructionLines, 1) });
    expect(await json(i)).toMatchObject({ inserted: 2, duplicates: 0, rejected: [{ index: 1, reason: "invalid UTF-8" }] });
    const after = await dbCounts();
    expect(after.battles - before.battles).toBe(2);
    expect(after.instructions - before.instructions).toBe(2);
  });

  it("instruction JSON: a bad item is rejected by index, the rest stored, counts equal the database", async () => {
    const before = (await dbCounts()).instructions;
    const items = [
      { text: "Json good one." },
      { text: "nul \u0000 inside" },
      { text: "lone", metadata: { nested: ["\udc00"] } },
      { text: "Json good two.", metadata: { a: { b: 1 } } },
      { text: "long source", source: "s".repeat(129) },
      { messages: [{ role: "system", content: "\u0000" }, { role: "user", content: "hi" }] },
      "not an object",
      { text: "Json good one." },
    ];
    const res = await t.app.request("/v1/instructions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ items }) });
    expect(res.status).toBe(200);
    const out = await json<{ inserted: number; duplicates: number; rejected: { index: number; reason: string }[] }>(res);
    expect(out.rejected.map((r) => r.index)).toEqual([1, 2, 4, 5, 6]);
    const fields = ["text", "metadata.nested.0", "source", "messages.0.content", "item"];
    for (const [k, r] of out.rejected.entries()) expect(r.reason).toContain(fields[k]);
    expect(out).toMatchObject({ inserted: 2, duplicates: 1 });
    expect((await dbCounts()).instructions - before).toBe(2);
  });
});
