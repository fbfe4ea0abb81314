/**
 * The clean-ref codec (src/generator/clean/refs.ts): the one place the `item:12` / `pool:7` / `text:3`
 * string form is written and read. Encodings, round trips, strings that encode no ref (benchmark hits,
 * callers' own ids, non-canonical numbers), and the stored/wire collision form, all stated by hand.
 */
import { describe, expect, it } from "vitest";
import { type CleanRef, collisionJson, decodeCleanRef, encodeCleanRef, generatedExternalId, itemRef, poolRef, textRef } from "../../src/generator/clean/refs.js";

describe("encodeCleanRef / decodeCleanRef", () => {
  const cases: { ref: CleanRef; text: string }[] = [
    { ref: itemRef(12), text: "item:12" },
    { ref: poolRef(7), text: "pool:7" },
    { ref: textRef(0), text: "text:0" },
    { ref: { kind: "item", id: 0 }, text: "item:0" },
    { ref: { kind: "pool", id: 9007199254740991 }, text: "pool:9007199254740991" },
  ];
  for (const tc of cases) {
    it(`${tc.text} <-> ${JSON.stringify(tc.ref)}`, () => {
      expect(encodeCleanRef(tc.ref)).toBe(tc.text);
      expect(decodeCleanRef(tc.text)).toEqual(tc.ref);
    });
  }

  const none = ["", "item", "item:", "item:-1", "item:1.5", "item:07", "item: 7", "Item:7", "pool:7x", "row:3", "mt-bench:81", "text:1e3", "pool:9007199254740993"];
  for (const s of none) {
    it(`'${s}' encodes no ref`, () => expect(decodeCleanRef(s)).toBeNull());
  }
});

describe("collisionJson", () => {
  const cases: { in: string; out: Record<string, unknown> }[] = [
    { in: "item:12", out: { itemId: 12 } },
    { in: "pool:7", out: { instructionId: 7 } },
    // A text ref, or a string that is no ref, is kept as an id (as before the typed refs).
    { in: "text:3", out: { id: "text:3" } },
    { in: "my-own-id", out: { id: "my-own-id" } },
  ];
  for (const tc of cases) it(`${tc.in} -> ${JSON.stringify(tc.out)}`, () => expect(collisionJson(tc.in)).toEqual(tc.out));
});

describe("generatedExternalId", () => {
  it("is the pool's stored external id of a published item", () => expect(generatedExternalId(42)).toBe("gen-item:42"));
});
