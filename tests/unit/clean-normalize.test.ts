import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentHash } from "../../lib/content-hash.js";
import { prepareText } from "../../src/generator/clean/normalize.js";

// The normaliser itself (cases, fast path vs definition, words) is tested in lib-text.test.ts.
describe("prepareText", () => {
  it("prepared text agrees with the normalised string", () => {
    const prepared = prepareText("Hi, you");
    expect(prepared).toMatchObject({ text: "Hi, you", normalized: "hi you", words: ["hi", "you"] });
    expect(prepared.wordHashes).toHaveLength(2);
    expect(prepareText("you").wordHashes[0]).toBe(prepared.wordHashes[1]);
  });
});

describe("contentHash", () => {
  it("is the sha256 hex of the normalised text", () => {
    // sha256("hello world"), as printed by `printf 'hello world' | sha256sum`.
    expect(contentHash("Hello,  WORLD!")).toBe("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    expect(contentHash("x")).toBe(createHash("sha256").update("x").digest("hex"));
  });

  const pairs: { a: string; b: string; same: boolean }[] = [
    { a: "Write a poem.", b: "write a poem", same: true },
    { a: "Write a   poem!", b: "WRITE A POEM?", same: true },
    { a: "Don\u2019t panic", b: "Dont panic", same: true },
    { a: "Write a poem.", b: "Write a poem about cats.", same: false },
    { a: "a b c", b: "c b a", same: false },
  ];
  for (const tc of pairs) {
    it(`${JSON.stringify(tc.a)} vs ${JSON.stringify(tc.b)} -> ${tc.same ? "equal" : "different"}`, () => {
      expect(contentHash(tc.a) === contentHash(tc.b)).toBe(tc.same);
    });
  }
});
