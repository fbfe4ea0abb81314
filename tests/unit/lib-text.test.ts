// lib/text.ts: the two normalisers, table-driven. foldToWords / foldToWordText (word form: content
// hashes, MinHash, decontamination, held-out matching) against its regex definition; foldCaseAndSpace
// (row dedup keys) keeps punctuation.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../lib/random.js";
import { foldCaseAndSpace, foldToWords, foldToWordText } from "../../lib/text.js";

describe("foldToWordText", () => {
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
      expect(foldToWordText(tc.input)).toBe(tc.want);
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
      expect(foldToWordText(t), JSON.stringify(t)).toBe(reference(t));
    }
  });

  it("foldToWords are the words of foldToWordText", () => {
    expect(foldToWords("  A  b, C! ")).toEqual(["a", "b", "c"]);
    expect(foldToWords("?!")).toEqual([]);
    expect(foldToWords("Caf\u00e9, \u041F\u0440\u0438!")).toEqual(["caf\u00e9", "\u043F\u0440\u0438"]);
  });
});

describe("foldCaseAndSpace", () => {
  const cases: [string, string][] = [
    ["  Hello   World ", "hello world"],
    ["Tab\tand\nnewline", "tab and newline"],
    ["ＦＵＬＬ width", "full width"],
    ["", ""],
    // Unlike foldToWordText, punctuation and apostrophes stay.
    ["Don't stop, OK?", "don't stop, ok?"],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => expect(foldCaseAndSpace(input)).toBe(want));
  }
});
