import { describe, expect, it } from "vitest";
import { fitTfidf, tfidfVectors, tokenize } from "../../src/generator/algorithms/tfidf.js";

describe("tokenize", () => {
  const cases = [
    { text: "The Cat and the DOG!", want: ["cat", "dog"] },
    { text: "C3PO x-ray a b", want: ["c3po", "ray"] },
    { text: "Café, naïve résumé", want: ["café", "naïve", "résumé"] },
    { text: "", want: [] },
  ];
  for (const tc of cases) it(JSON.stringify(tc.text), () => expect(tokenize(tc.text)).toEqual(tc.want));
});

describe("fitTfidf", () => {
  // Smooth idf = ln((1 + n) / (1 + df)) + 1 with n = 3 documents, rows L2-normalised.
  const idf2 = Math.log(4 / 3) + 1; // df = 2
  const idf1 = Math.log(4 / 2) + 1; // df = 1
  const docs = ["cat dog", "cat", "fish fish"];

  it("orders the vocabulary by document frequency, then alphabetically, with smooth idf", () => {
    const m = fitTfidf(docs);
    expect(m.vocabulary).toEqual(["cat", "dog", "fish"]);
    expect(m.idf[0]).toBeCloseTo(idf2, 12);
    expect(m.idf[1]).toBeCloseTo(idf1, 12);
  });

  const len = Math.hypot(idf2, idf1);
  const cases = [
    { text: "cat dog", want: [idf2 / len, idf1 / len, 0] },
    { text: "cat", want: [1, 0, 0] },
    { text: "fish fish", want: [0, 0, 1] },
    // counts 2 (cat) and 1 (fish): [2 idf2, 0, idf1] / its length
    { text: "cat fish cat", want: [(2 * idf2) / Math.hypot(2 * idf2, idf1), 0, idf1 / Math.hypot(2 * idf2, idf1)] },
    { text: "unknown words only", want: [0, 0, 0] },
  ];
  for (const tc of cases) {
    it(`transforms ${JSON.stringify(tc.text)}`, () => {
      const row = fitTfidf(docs).transform(tc.text);
      tc.want.forEach((w, i) => expect(row[i]).toBeCloseTo(w, 12));
    });
  }

  it("caps the vocabulary with maxFeatures and minDf", () => {
    expect(fitTfidf(docs, { maxFeatures: 1 }).vocabulary).toEqual(["cat"]);
    expect(fitTfidf(docs, { minDf: 2 }).vocabulary).toEqual(["cat"]);
  });

  it("tfidfVectors returns one row per document", () => {
    const { vectors } = tfidfVectors(docs);
    expect(vectors).toHaveLength(3);
    expect(vectors[2]).toEqual([0, 0, 1]);
  });
});
