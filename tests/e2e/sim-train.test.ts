/**
 * The training stand-in over real HTTP: what a row teaches depends on its answer. The same prompts
 * (MT-bench math, coding and reasoning, where sim-target is weak) with answers written by a stronger
 * model, by the target itself, and by a weaker model: only the stronger answers raise the target
 * clearly, its own answers barely move it, the weaker ones pull it down.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/server.js";
import { describeWithSharedData, HAS_SHARED_DATA, mtBenchItems } from "../helpers/arena.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, latency: { kind: "fixed", ms: 0 } });
});
afterAll(async () => {
  await sim?.close();
});

const PROMPTS = HAS_SHARED_DATA ? mtBenchItems(80).filter((i) => ["math", "coding", "reasoning"].includes(i.category)).map((i) => i.text) : [];

async function answer(model: string, prompt: string): Promise<string> {
  const res = await fetch(`${sim.baseUrl}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model, messages: [{ role: "user", content: prompt }] }) });
  const body = (await res.json()) as { choices: { message: { content: string } }[] };
  return body.choices[0]?.message.content ?? "";
}

async function trainOn(writer: string): Promise<{ gain: number; rows: number }> {
  const lines = await Promise.all(PROMPTS.map(async (p) => JSON.stringify({ messages: [{ role: "user", content: p }, { role: "assistant", content: await answer(writer, p) }] })));
  const res = await fetch(`${sim.url}/sim/train`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: `target-on-${writer}`, from: "sim-target", jsonl: lines.join("\n") }) });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { rows: Record<string, number>; skillDelta: Record<string, number> };
  return { gain: Object.values(body.skillDelta).reduce((s, x) => s + x, 0), rows: Object.values(body.rows).reduce((s, x) => s + x, 0) };
}

describeWithSharedData("the training stand-in over MT-bench prompts", () => {
  it("raises the target by what the answers teach, not by how many rows there are", async () => {
    expect(PROMPTS.length).toBeGreaterThanOrEqual(20);
    const strong = await trainOn("sim-strong");
    const own = await trainOn("sim-target");
    const weak = await trainOn("sim-weak");
    console.log(`[sim-train] summed skill gain over ${strong.rows} rows: strong ${strong.gain.toFixed(2)}, own ${own.gain.toFixed(2)}, weak ${weak.gain.toFixed(2)}`);
    expect([own.rows, weak.rows]).toEqual([strong.rows, strong.rows]);
    expect(strong.gain).toBeGreaterThan(1);
    expect(Math.abs(own.gain)).toBeLessThan(strong.gain / 3);
    expect(weak.gain).toBeLessThan(0);
  });
});
