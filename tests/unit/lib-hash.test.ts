// lib/hash.ts against published reference values (FNV-1a, MurmurHash3 fmix32, cyrb53) and values pinned
// before the hashes moved into lib/ (stored seeds and MinHash signatures depend on the exact bits).
import { describe, expect, it } from "vitest";
import { cyrb53, fmix32, fnv1a32, fnv1a32Parts, hashString32, hashString32Parts, hashWordRun, hashWords } from "../../lib/hash.js";

describe("fnv1a32", () => {
  // Published FNV-1a 32-bit test vectors.
  const cases: [string, number][] = [
    ["", 0x811c9dc5],
    ["a", 0xe40c292c],
    ["foobar", 0xbf9cf968],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => expect(fnv1a32(text)).toBe(want));
  it("seed 0 is the published basis, another seed moves it", () => {
    expect(fnv1a32("a", 0)).toBe(0xe40c292c);
    expect(fnv1a32("a", 1)).not.toBe(0xe40c292c);
  });
});

describe("fnv1a32Parts", () => {
  // FNV-1a of "a" is 0xe40c292c (the published test vector).
  it("is FNV-1a", () => expect(fnv1a32Parts("a")).toBe(0xe40c292c));
  it("joins parts with U+0001", () => expect(fnv1a32Parts("task", 3)).toBe(fnv1a32("task\u00013")));
  it("pinned: fnv1a32Parts('task', 3)", () => expect(fnv1a32Parts("task", 3)).toBe(0x0e9dfb2c));
});

describe("fmix32", () => {
  // MurmurHash3 fmix32 reference values (fmix32(1) = 0x514e28b7 is the commonly quoted one).
  const cases: [number, number][] = [
    [0, 0x00000000],
    [1, 0x514e28b7],
    [0xffffffff, 0x81f16f39],
    [0x80000000, 0x6d3c65a0],
  ];
  for (const [x, want] of cases) it(`0x${x.toString(16)}`, () => expect(fmix32(x)).toBe(want));
});

describe("hashString32", () => {
  // Pinned before the move: generator/clean/hash32.ts `hashString32` and sim/hash.ts `hashString` (seed 0) agreed.
  const cases: { text: string; seed: number; want: number }[] = [
    { text: "", seed: 0, want: 0xab3e7c0b },
    { text: "a", seed: 0, want: 0x1a80b1b3 },
    { text: "foobar", seed: 0, want: 0x0c0da6dc },
    { text: "", seed: 7, want: 0xfa15cfca },
    { text: "a", seed: 7, want: 0xdebabd80 },
    { text: "foobar", seed: 7, want: 0xda403f49 },
  ];
  for (const tc of cases) it(`${JSON.stringify(tc.text)} seed ${tc.seed}`, () => expect(hashString32(tc.text, tc.seed)).toBe(tc.want));
  it("is fmix32 of FNV-1a", () => expect(hashString32("foobar")).toBe(fmix32(0xbf9cf968)));
});

describe("hashString32Parts", () => {
  // Pinned before the move (sim/hash.ts `hashParts`).
  const cases: { parts: string[]; seed: number; want: number }[] = [
    { parts: ["a", "bc"], seed: 0, want: 0x2f0ddbc4 },
    { parts: ["ab", "c"], seed: 0, want: 0x2f9f6dd7 },
    { parts: ["model", "hello"], seed: 42, want: 0xb0fae61b },
  ];
  for (const tc of cases) it(`${JSON.stringify(tc.parts)} seed ${tc.seed}`, () => expect(hashString32Parts(tc.parts, tc.seed)).toBe(tc.want));
});

describe("hashWordRun", () => {
  const w = hashWords(["the", "quick", "brown", "fox"]);
  // Pinned before the move (generator/clean/hash32.ts).
  const cases: { start: number; count: number; want: number }[] = [
    { start: 0, count: 4, want: 0x5acfc14c },
    { start: 1, count: 2, want: 0x2ca772cd },
    { start: 0, count: 0, want: 0xebb6c228 },
  ];
  for (const tc of cases) it(`start ${tc.start} count ${tc.count}`, () => expect(hashWordRun(w, tc.start, tc.count)).toBe(tc.want));
  it("hashWords is hashString32 per word", () => expect([...hashWords(["a", ""])]).toEqual([0x1a80b1b3, 0xab3e7c0b]));
  it("is order-sensitive", () => expect(hashWordRun(hashWords(["b", "a"]), 0, 2)).not.toBe(hashWordRun(hashWords(["a", "b"]), 0, 2)));
});

describe("cyrb53", () => {
  // Reference values from bryc's README (github.com/bryc/code, jshash/experimental/cyrb53.js).
  const cases: [string, number, number][] = [
    ["a", 0, 7929297801672961],
    ["b", 0, 8684336938537663],
    ["revenge", 0, 4051478007546757],
    ["revenue", 0, 8309097637345594],
    ["revenue", 1, 8697026808958300],
  ];
  for (const [text, seed, want] of cases) {
    it(`cyrb53(${JSON.stringify(text)}, ${seed}) = ${want}`, () => {
      expect(cyrb53(text, seed)).toBe(want);
      expect(Number.isSafeInteger(cyrb53(text, seed))).toBe(true);
    });
  }
});
