/**
 * The byte fast path of battle logs (reports/battle-log-bytes.ts) against the reference, the text path
 * (`parseBattleLine`, which JSON.parses): a log read as bytes, in chunks of every size, gives exactly the
 * battles and rejections of the same log read as one string. Lines are a table of plain and not-plain
 * forms, then seeded random mutations of plain lines (dropped, doubled and swapped bytes) so that
 * near-misses of the fast path's grammar are covered too.
 */
import { describe, expect, it } from "vitest";
import { xoshiroRng, randomInt } from "../../lib/random.js";
import { AsciiStrings, scanPlainBattle } from "../../reports/battle-log-bytes.js";
import { collectBattleLog } from "../../reports/battle-log.js";

const enc = new TextEncoder();

async function* byteChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Same battles and rejections from bytes (chunked) as from the whole text. */
async function expectSame(text: string, sizes = [1, 3, 7, 64, 1 << 20]): Promise<void> {
  const reference = await collectBattleLog(text);
  for (const size of sizes) expect(await collectBattleLog(byteChunks(enc.encode(text), size)), `chunk size ${size}`).toEqual(reference);
}

const LINES: { line: string; plain: boolean }[] = [
  { line: '{"model_a":"gpt-4","model_b":"claude","winner":"model_a"}', plain: true },
  { line: '{ "model_a" : "x" , "model_b": "y", "winner": "tie (bothbad)" }', plain: true },
  { line: '{"winner":"model_b","model_b":"y","model_a":"x"}', plain: true },
  { line: '\t{"model_a":"x","model_b":"y","winner":"tie"}  \r', plain: true },
  { line: '{"model_a":"x","model_b":"x","winner":"tie"}', plain: true },
  { line: '{"model_a":"","model_b":"y","winner":"tie"}', plain: true },
  { line: '{"model_a":"x","model_b":"y","winner":"draw"}', plain: true },
  { line: `{"model_a":"${"m".repeat(300)}","model_b":"y","winner":"tie"}`, plain: true },
  { line: '{"model_a":"x","model_b":"y","winner":"tie","id":7}', plain: false },
  { line: '{"model_a":"x","model_b":"y","score":0.25}', plain: false },
  { line: '{"model_a":"x","model_b":"y"}', plain: false },
  { line: '{"model_a":"x","model_a":"z","model_b":"y","winner":"tie"}', plain: false },
  { line: '{"model_a":"x","model_b":"y","winner":"tie"', plain: false },
  { line: '{"model_a":"x","model_b":"y","winner":"tie"} x', plain: false },
  { line: '{"model_a":"x\\u0041","model_b":"y","winner":"tie"}', plain: false },
  { line: '{"model_a":"é","model_b":"y","winner":"tie"}', plain: false },
  { line: '{"model_a":"x\u0001","model_b":"y","winner":"tie"}', plain: false },
  { line: '{"model_a":1,"model_b":"y","winner":"tie"}', plain: false },
  { line: '{"model_a":"x","model_b":"y","winner":"tie",}', plain: false },
  { line: '["model_a","x"]', plain: false },
  { line: "not json", plain: false },
  { line: "   ", plain: false },
];

describe("scanPlainBattle", () => {
  for (const tc of LINES) {
    it(`${tc.plain ? "reads" : "leaves to the text path"} ${JSON.stringify(tc.line).slice(0, 70)}`, () => {
      const bytes = enc.encode(tc.line);
      const got = scanPlainBattle(bytes, 0, bytes.length, new AsciiStrings());
      if (tc.plain) expect(got).toEqual(JSON.parse(tc.line));
      else expect(got).toBeUndefined();
    });
  }

  it("hands out one string per distinct name, and tells colliding-length names apart", () => {
    const strings = new AsciiStrings(2);
    const a = enc.encode("model-1");
    const b = enc.encode("model-2");
    expect(strings.get(a, 0, a.length)).toBe("model-1");
    expect(strings.get(b, 0, b.length)).toBe("model-2");
    expect(strings.get(a, 0, a.length)).toBe("model-1");
    // Past its size the cache starts again; answers stay right.
    const c = enc.encode("model-3");
    expect(strings.get(c, 0, c.length)).toBe("model-3");
    expect(strings.get(b, 0, b.length)).toBe("model-2");
  });
});

describe("collectBattleLog from bytes", () => {
  it("matches the text path on the table's lines, with a BOM, blank lines and no final newline", async () => {
    await expectSame(`\uFEFF${LINES.map((l) => l.line).join("\n")}\n\n${LINES[0]?.line}`);
    await expectSame(LINES.map((l) => l.line).join("\r\n") + "\r\n");
  });

  it("matches the text path on seeded mutations of plain lines", async () => {
    const rng = xoshiroRng(20261203);
    const bases = LINES.filter((l) => l.plain).map((l) => l.line);
    const out: string[] = [];
    for (let k = 0; k < 3000; k++) {
      const chars = [...(bases[randomInt(rng, bases.length)] ?? "")];
      const edits = 1 + randomInt(rng, 2);
      for (let e = 0; e < edits; e++) {
        const at = randomInt(rng, chars.length);
        const op = randomInt(rng, 4);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, chars[at] ?? "");
        else if (op === 2) chars.splice(at, 0, ' ",:{}\\\u00e9'[randomInt(rng, 9)] ?? "");
        else {
          const other = randomInt(rng, chars.length);
          [chars[at], chars[other]] = [chars[other] ?? "", chars[at] ?? ""];
        }
      }
      out.push(chars.join(""));
    }
    await expectSame(out.join("\n"), [5, 4096]);
  });
});
