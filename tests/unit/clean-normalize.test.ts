import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../src/generator/clean/hash32.js";
import { normalizeText, normalizedWords, prepareText } from "../../src/generator/clean/normalize.js";
import { contentHash } from "../../src/services/content-hash.js";

describe("normalizeText", () => {
  const cases: { name: string; input: string; want: string }[] = [
    { name: "case, spacing and punctuation", input: "Hello,   World!", want: "hello world" },
    { name: "full-width forms fold (NFKC)", input: "\uFF26\uFF35\uFF2C\uFF2C\u3000\uFF57\uFF49\uFF44\uFF54\uFF48", want: "full width" },
    { name: "ligature fi folds (NFKC)", input: "\uFB01ne print", want: "fine print" },
    { name: "roman numeral twelve folds to letters", input: "Chapter \u216B", want: "chapter xii" },
    { name: "decomposed accent composes", input: "Cafe\u0301 au lait", want: "caf\u00e9 au lait" },
    { name: "ASCII apostrophe dropped", input: "Don't stop", want: "dont stop" },
    { name: "typographic apostrophe dropped", input: "Don\u2019t stop", want: "dont stop" },
    { name: "zero-width space dropped", input: "zero\u200Bwidth", want: "zerowidth" },
    { name: "tabs and newlines collapse", input: "tabs\tand\n\nnewlines ", want: "tabs and newlines" },
    { name: "hyphen and slash split words", input: "e-mail/phone", want: "e mail phone" },
    { name: "math symbols split words", input: "x+y = 4z", want: "x y 4z" },
    { name: "punctuation only", input: "  ... !? ", want: "" },
    { name: "digits and non-Latin letters kept", input: "\u041F\u0440\u0438\u0432\u0435\u0442, 2024!", want: "\u043F\u0440\u0438\u0432\u0435\u0442 2024" },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(normalizeText(tc.input)).toBe(tc.want);
    });
  }

  it("agrees with the plain regex pipeline on 2,000 random ASCII strings (fast path vs definition)", () => {
    // The definition, written out independently of the implementation's single-scan ASCII path.
    const reference = (t: string): string =>
      t.normalize("NFKC").toLowerCase().replace(/[\p{Cf}'\u2019\u02bc`]/gu, "").replace(/[\p{P}\p{S}\s]+/gu, " ").trim();
    const alphabet = "aZ9 x'`.,-_(\t\n\u0001~$Q' b";
    const rng = mulberry32(99);
    for (let i = 0; i < 2000; i++) {
      let t = "";
      const len = Math.floor(rng() * 24);
      for (let j = 0; j < len; j++) t += alphabet[Math.floor(rng() * alphabet.length)];
      expect(normalizeText(t), JSON.stringify(t)).toBe(reference(t));
    }
  });

  it("words and prepared text agree with the normalised string", () => {
    expect(normalizedWords("  A  b, C! ")).toEqual(["a", "b", "c"]);
    expect(normalizedWords("?!")).toEqual([]);
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
