// Ground truth shows through the text: over 200 MT-bench and Arena-Hard prompts (read from
// ../shared/data), a stronger model (by /sim/truth) covers more key points, coverage matches the
// closed form E[sigmoid(s + sigma * Z)], judges prefer the stronger answer, and a position-biased judge
// favours the first position on identical answers.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessAnswer } from "../../src/sim/quality.js";
import { startSimulator, type Simulator, type SimTruth } from "../../src/sim/server.js";
import { describeWithSharedData, readSharedData } from "../helpers/arena.js";

/** 200 first turns: all 80 MT-bench questions, then Arena-Hard prompts; read lazily (in the hook). */
function prompts(): string[] {
  const mtBench = readSharedData("mt-bench-questions.jsonl")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { turns: string[] }).turns[0] ?? "");
  const arenaHard = readSharedData("arena-hard-v0.1-questions.jsonl")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { prompt: string }).prompt);
  return [...mtBench, ...arenaHard.slice(0, 200 - mtBench.length)];
}

describeWithSharedData("the simulator over MT-bench and Arena-Hard prompts", () => {
  let sim: Simulator;
  let client: OpenAI;
  let truth: SimTruth;
  let PROMPTS: string[] = [];

  async function mapLimit<T, R>(items: T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array<R>(items.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: limit }, async () => {
        while (next < items.length) {
          const i = next++;
          out[i] = await f(items[i] as T);
        }
      }),
    );
    return out;
  }

  const answer = (model: string, prompt: string): Promise<string> =>
    client.chat.completions.create({ model, messages: [{ role: "user", content: prompt }] }).then((r) => r.choices[0]?.message.content ?? "");

  const pairPrompt = (q: string, a: string, b: string): string =>
    `<|User Prompt|>\n${q}\n\n<|The Start of Assistant A's Answer|>\n${a}\n<|The End of Assistant A's Answer|>\n\n` +
    `<|The Start of Assistant B's Answer|>\n${b}\n<|The End of Assistant B's Answer|>`;

  /** Winner label of a judge reply, by the arena-hard pattern (last match); null if none. */
  function verdict(text: string): string | null {
    const all = [...text.matchAll(/\[\[([AB<>=]+)\]\]/g)];
    return all[all.length - 1]?.[1] ?? null;
  }

  /** E[sigmoid(s + sigma Z)], Z ~ N(0,1), by the trapezoid rule on [-8, 8]. */
  function expectedCoverage(s: number, sigma: number): number {
    const h = 0.001;
    let sum = 0;
    for (let z = -8; z <= 8; z += h) sum += (Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI)) / (1 + Math.exp(-(s + sigma * z))) * h;
    return sum;
  }

  function meanCoverage(answers: string[]): number {
    let total = 0;
    let n = 0;
    answers.forEach((a, i) => {
      const q = assessAnswer(PROMPTS[i] ?? "", a);
      if (q.total === 0) return;
      total += q.coverage;
      n++;
    });
    return total / n;
  }

  const answers: Record<string, string[]> = {};
  let strongest = "";
  let weakest = "";

  beforeAll(async () => {
    PROMPTS = prompts();
    sim = await startSimulator({ seed: 2024 });
    client = new OpenAI({ baseURL: sim.baseUrl, apiKey: "sim", maxRetries: 0 });
    truth = sim.truth();
    const ranked = Object.entries(truth.models).sort((x, y) => y[1].skill - x[1].skill);
    strongest = ranked[0]?.[0] ?? "";
    weakest = ranked[ranked.length - 1]?.[0] ?? "";
    // sim-medium has one skill for every category, so its coverage has a closed form.
    for (const m of [strongest, weakest, "sim-medium"]) answers[m] = await mapLimit(PROMPTS, 16, (p) => answer(m, p));
  });
  afterAll(async () => {
    await sim.close();
  });

  describe("key-point coverage reflects hidden skill", () => {
    it("has 200 prompts", () => expect(PROMPTS).toHaveLength(200));

    it("the strongest model covers more key points than the weakest", () => {
      const strong = meanCoverage(answers[strongest] ?? []);
      const weak = meanCoverage(answers[weakest] ?? []);
      expect(strong - weak).toBeGreaterThan(0.3);
    });

    it.each(["sim-medium"])("%s matches E[sigmoid(s + sigma Z)]", (model) => {
      const skills = Object.values(truth.models[model]?.skills ?? {});
      expect(new Set(skills).size).toBe(1); // precondition of the closed form
      const want = expectedCoverage(skills[0] ?? NaN, truth.answerNoise);
      expect(Math.abs(meanCoverage(answers[model] ?? []) - want)).toBeLessThan(0.05);
    });
  });

  describe("judges", () => {
    it("a fair judge prefers the stronger model's answer, in both orders", async () => {
      // Every other prompt (100 pairs, 200 judge calls) keeps the test fast.
      const jobs = PROMPTS.flatMap((q, i) => {
        if (i % 2 === 1) return [];
        const s = answers[strongest]?.[i] ?? "";
        const w = answers[weakest]?.[i] ?? "";
        return [
          { content: pairPrompt(q, s, w), strongIs: "A" },
          { content: pairPrompt(q, w, s), strongIs: "B" },
        ];
      });
      const labels = await mapLimit(jobs, 16, (j) => answer("sim-judge-fair", j.content));
      let strongWins = 0;
      let weakWins = 0;
      labels.forEach((text, i) => {
        const v = verdict(text);
        if (!v || v === "A=B") return;
        const winner = v.startsWith("A") ? "A" : "B";
        if (winner === jobs[i]?.strongIs) strongWins++;
        else weakWins++;
      });
      expect(strongWins / (strongWins + weakWins)).toBeGreaterThan(0.75);
    });

    it("a position-biased judge gives the first position more wins on identical answers", async () => {
      const biased = Object.entries(truth.judges).sort((x, y) => y[1].positionBias - x[1].positionBias)[0]?.[0] ?? "";
      expect(truth.judges[biased]?.positionBias).toBeGreaterThan(0.1);
      const texts = await mapLimit(PROMPTS, 16, (q) => {
        const a = answers["sim-medium"]?.[PROMPTS.indexOf(q)] ?? "";
        return answer(biased, pairPrompt(q, a, a));
      });
      const labels = texts.map(verdict).filter((v): v is string => v !== null);
      const first = labels.filter((v) => v.startsWith("A>")).length / labels.length;
      const second = labels.filter((v) => v.startsWith("B>")).length / labels.length;
      expect(first).toBeGreaterThan(0.5);
      expect(first).toBeGreaterThan(second + 0.2);
    });
  });
});
