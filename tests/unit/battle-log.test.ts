// Battle-log parser: good lines in both Chatbot Arena shapes, every rejection reason, and the streaming reader.
import { describe, expect, it } from "vitest";
import { collectBattleLog, parseBattleLine, parseBattleLog, type Battle } from "../../reports/battle-log.js";

const good: { name: string; line: string; battle: Battle }[] = [
  { name: "A wins", line: '{"model_a":"x","model_b":"y","winner":"model_a"}', battle: { modelA: "x", modelB: "y", outcome: 1 } },
  { name: "B wins", line: '{"model_a":"x","model_b":"y","winner":"model_b"}', battle: { modelA: "x", modelB: "y", outcome: 0 } },
  { name: "tie", line: '{"model_a":"x","model_b":"y","winner":"tie"}', battle: { modelA: "x", modelB: "y", outcome: 0.5 } },
  { name: "bad tie", line: '{"model_a":"x","model_b":"y","winner":"tie (bothbad)"}', battle: { modelA: "x", modelB: "y", outcome: 0.5 } },
  { name: "score", line: '{"model_a":"x","model_b":"y","score":0.3}', battle: { modelA: "x", modelB: "y", outcome: 0.3 } },
  { name: "score 0", line: '{"model_a":"x","model_b":"y","score":0}', battle: { modelA: "x", modelB: "y", outcome: 0 } },
  {
    name: "optional fields",
    line: '{"id":7,"model_a":"x","model_b":"y","winner":"model_a","category":"code","tstamp":1700000000.5,"judge":"j1","weight":2}',
    battle: { modelA: "x", modelB: "y", outcome: 1, id: 7, category: "code", tstamp: 1700000000.5, judge: "j1", weight: 2 },
  },
  {
    name: "string id, nulls ignored",
    line: '{"id":"b-1","model_a":"x","model_b":"y","winner":"model_b","category":null,"judge":null}',
    battle: { modelA: "x", modelB: "y", outcome: 0, id: "b-1" },
  },
  {
    name: "a surrogate pair, a 256-byte name, a tstamp at the edge of the range",
    line: JSON.stringify({ model_a: "x\ud83d\ude00", model_b: "y".repeat(256), winner: "tie", tstamp: -8.64e12 }),
    battle: { modelA: "x\ud83d\ude00", modelB: "y".repeat(256), outcome: 0.5, tstamp: -8.64e12 },
  },
  {
    name: "conv_metadata summed as FastChat does",
    line: JSON.stringify({
      model_a: "x",
      model_b: "y",
      winner: "model_a",
      conv_metadata: {
        sum_assistant_a_tokens: 120,
        sum_assistant_b_tokens: 40,
        header_count_a: { h1: 1, h2: 2 },
        header_count_b: { h1: 0 },
        list_count_a: { ordered: 3, unordered: 4 },
        list_count_b: 1,
        bold_count_a: { "**": 2, __: 1 },
        bold_count_b: 0,
      },
    }),
    battle: {
      modelA: "x",
      modelB: "y",
      outcome: 1,
      styleA: { length: 120, headers: 3, listItems: 7, bold: 3 },
      styleB: { length: 40, headers: 0, listItems: 1, bold: 0 },
    },
  },
];

const bad: { line: string; reason: string }[] = [
  { line: "{not json", reason: "invalid JSON" },
  { line: "[1,2]", reason: "line: must be a JSON object" },
  { line: '"text"', reason: "line: must be a JSON object" },
  { line: '{"model_b":"y","winner":"model_a"}', reason: "model_a: required" },
  { line: '{"model_a":3,"model_b":"y","winner":"model_a"}', reason: "model_a: must be a non-empty string" },
  { line: '{"model_a":"","model_b":"y","winner":"model_a"}', reason: "model_a: must be a non-empty string" },
  { line: '{"model_a":"x","winner":"model_a"}', reason: "model_b: required" },
  { line: '{"model_a":"x","model_b":["y"],"winner":"model_a"}', reason: "model_b: must be a non-empty string" },
  { line: '{"model_a":"x","model_b":"x","winner":"model_a"}', reason: "model_b: must differ from model_a" },
  { line: '{"model_a":"x","model_b":"y"}', reason: "winner: required (or score)" },
  {
    line: '{"model_a":"x","model_b":"y","winner":"A"}',
    reason: 'winner: must be one of "model_a", "model_b", "tie", "tie (bothbad)"',
  },
  { line: '{"model_a":"x","model_b":"y","score":1.5}', reason: "score: must be in [0,1]" },
  { line: '{"model_a":"x","model_b":"y","score":-0.1}', reason: "score: must be in [0,1]" },
  { line: '{"model_a":"x","model_b":"y","score":"0.5"}', reason: "score: must be a number" },
  { line: '{"model_a":"x","model_b":"y","score":0.5,"winner":"tie"}', reason: "score: give either winner or score, not both" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","id":{"a":1}}', reason: "id: must be a string or number" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","category":5}', reason: "category: must be a string" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","judge":true}', reason: "judge: must be a string" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","tstamp":"today"}', reason: "tstamp: must be a number (seconds)" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","weight":0}', reason: "weight: must be a positive number" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","conv_metadata":[1]}', reason: "conv_metadata: must be an object" },
  {
    line: '{"model_a":"x","model_b":"y","winner":"tie","conv_metadata":{"header_count_a":{"h1":"two"}}}',
    reason: "conv_metadata.header_count_a: must be a count or an object of counts",
  },
  // Values JSON allows but the database refuses or alters.
  { line: '{"model_a":"x\\u0000","model_b":"y","winner":"tie"}', reason: "model_a: must not contain a NUL character (U+0000)" },
  { line: '{"model_a":"x","model_b":"\\ud800","winner":"tie"}', reason: "model_b: must not contain a lone surrogate (invalid Unicode)" },
  { line: `{"model_a":"x","model_b":"${"y".repeat(257)}","winner":"tie"}`, reason: "model_b: too long (257 bytes, at most 256)" },
  { line: `{"model_a":"${"é".repeat(129)}","model_b":"y","winner":"tie"}`, reason: "model_a: too long (258 bytes, at most 256)" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","id":"\\u0000"}', reason: "id: must not contain a NUL character (U+0000)" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","category":"\\udc00x"}', reason: "category: must not contain a lone surrogate (invalid Unicode)" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","judge":"j\\u0000"}', reason: "judge: must not contain a NUL character (U+0000)" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","tstamp":1e13}', reason: "tstamp: out of range (seconds since 1970, at most 8640000000000 either way)" },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","tstamp":1e400}', reason: "tstamp: must be a number (seconds)" },
  {
    line: '{"model_a":"x","model_b":"y","winner":"tie","conv_metadata":{"header_count_a":{"h1":1e308,"h2":1e308}}}',
    reason: "conv_metadata.header_count_a: must be a count or an object of counts",
  },
];

describe("parseBattleLine", () => {
  it.each(good)("accepts $name", ({ line, battle }) => {
    expect(parseBattleLine(line)).toEqual({ ok: true, battle });
  });

  it.each(bad)("rejects $line with '$reason'", ({ line, reason }) => {
    expect(parseBattleLine(line)).toEqual({ ok: false, reason });
  });

  it("attaches no style when conv_metadata lacks some counts", () => {
    const r = parseBattleLine('{"model_a":"x","model_b":"y","winner":"tie","conv_metadata":{"sum_assistant_a_tokens":5}}');
    expect(r).toEqual({ ok: true, battle: { modelA: "x", modelB: "y", outcome: 0.5 } });
  });
});

async function* chunks(parts: string[]): AsyncGenerator<string> {
  for (const p of parts) yield p;
}

async function collectLines(input: string | AsyncIterable<string>): Promise<{ line: number; ok: boolean }[]> {
  const out: { line: number; ok: boolean }[] = [];
  for await (const r of parseBattleLog(input)) out.push({ line: r.line, ok: r.ok });
  return out;
}

describe("parseBattleLog", () => {
  const l1 = '{"model_a":"x","model_b":"y","winner":"model_a"}';
  const l3 = '{"model_a":"x"}';
  const l4 = '{"model_a":"y","model_b":"x","score":1}';
  const text = `\uFEFF${l1}\r\n\n${l3}\n${l4}`;
  const expected = [
    { line: 1, ok: true },
    { line: 3, ok: false },
    { line: 4, ok: true },
  ];
  const inputs: { name: string; input: () => string | AsyncIterable<string> }[] = [
    { name: "a string", input: () => text },
    { name: "one chunk", input: () => chunks([text]) },
    { name: "chunks split mid-line", input: () => chunks([text.slice(0, 10), text.slice(10, 60), text.slice(60)]) },
    { name: "one character a chunk", input: () => chunks([...text]) },
  ];

  it.each(inputs)("numbers lines and skips blanks from $name", async ({ input }) => {
    expect(await collectLines(input())).toEqual(expected);
  });

  it("collects battles and rejected lines with reasons", async () => {
    const log = await collectBattleLog(chunks([text]));
    expect(log.battles).toEqual([
      { modelA: "x", modelB: "y", outcome: 1 },
      { modelA: "y", modelB: "x", outcome: 1 },
    ]);
    expect(log.rejected).toEqual([{ line: 3, reason: "model_b: required" }]);
  });
});
