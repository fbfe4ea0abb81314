// The simulator over real HTTP through the official openai SDK: completions with usage, streaming,
// determinism, errors, model listing, truth, derived models, embeddings and structured output.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startSimulator, type Simulator } from "../../src/sim/server.js";

const countWords = (s: string): number => s.split(/\s+/).filter((w) => w.length > 0).length;
const tokens = (words: number): number => Math.ceil(words * 1.3);

let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ seed: 11 });
  client = new OpenAI({ baseURL: sim.baseUrl, apiKey: "sim", maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});

const PROMPTS = [
  "Write a python function that returns the nth fibonacci number using memoization.",
  "Compose an engaging travel blog post about a recent trip to Hawaii, highlighting cultural experiences.",
  "What is 17 * 23? Explain the multiplication steps.",
];

describe("chat completions", () => {
  it.each(PROMPTS.map((p, i) => ({ p, model: ["sim-strong", "sim-verbose", "sim-weak"][i] ?? "sim-strong" })))(
    "usage is words * 1.3 for $model",
    async ({ p, model }) => {
      const messages = [
        { role: "system" as const, content: "You are a helpful assistant." },
        { role: "user" as const, content: p },
      ];
      const r = await client.chat.completions.create({ model, messages });
      const text = r.choices[0]?.message.content ?? "";
      expect(text.length).toBeGreaterThan(20);
      expect(r.model).toBe(model);
      expect(r.choices[0]?.finish_reason).toBe("stop");
      expect(r.usage?.prompt_tokens).toBe(tokens(countWords("You are a helpful assistant.") + countWords(p)));
      expect(r.usage?.completion_tokens).toBe(tokens(countWords(text)));
      expect(r.usage?.total_tokens).toBe((r.usage?.prompt_tokens ?? 0) + (r.usage?.completion_tokens ?? 0));
    },
  );

  it("max_tokens cuts the answer and reports finish_reason length", async () => {
    const r = await client.chat.completions.create({ model: "sim-verbose", messages: [{ role: "user", content: PROMPTS[1] ?? "" }], max_tokens: 13 });
    expect(r.choices[0]?.finish_reason).toBe("length");
    expect(countWords(r.choices[0]?.message.content ?? "")).toBe(10); // floor(13 / 1.3)
  });

  it("streams the same text as the non-streaming call, with a usage chunk", async () => {
    const body = { model: "sim-good", messages: [{ role: "user" as const, content: PROMPTS[0] ?? "" }] };
    const plain = await client.chat.completions.create(body);
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(finish).toBe("stop");
    expect(usage).toEqual(plain.usage);
  });
});

describe("legacy completions", () => {
  it("answer the prompt as a single user message, with usage", async () => {
    const prompt = PROMPTS[2] ?? "";
    const c = await client.completions.create({ model: "sim-strong", prompt });
    const chat = await client.chat.completions.create({ model: "sim-strong", messages: [{ role: "user", content: prompt }] });
    expect(c.choices[0]?.text).toBe(chat.choices[0]?.message.content);
    expect(c.usage).toEqual(chat.usage);
  });
});

describe("determinism", () => {
  it("same seed -> same text whatever the order and concurrency; other seed -> different text", async () => {
    const other = await startSimulator({ seed: 11 });
    const third = await startSimulator({ seed: 12 });
    try {
      const ask = (c: OpenAI, p: string): Promise<string> =>
        c.chat.completions.create({ model: "sim-medium", messages: [{ role: "user", content: p }] }).then((r) => r.choices[0]?.message.content ?? "");
      const c2 = new OpenAI({ baseURL: other.baseUrl, apiKey: "sim", maxRetries: 0 });
      const c3 = new OpenAI({ baseURL: third.baseUrl, apiKey: "sim", maxRetries: 0 });
      const prompts = Array.from({ length: 12 }, (_, i) => `${PROMPTS[i % 3] ?? ""} Variant ${i}.`);
      const sequential: string[] = [];
      for (const p of prompts) sequential.push(await ask(client, p));
      const concurrentReversed = (await Promise.all([...prompts].reverse().map((p) => ask(c2, p)))).reverse();
      const otherSeed = await Promise.all(prompts.map((p) => ask(c3, p)));
      expect(concurrentReversed).toEqual(sequential);
      expect(otherSeed.filter((t, i) => t !== sequential[i]).length).toBeGreaterThan(8);
    } finally {
      await other.close();
      await third.close();
    }
  });
});

describe("errors", () => {
  it("unknown model -> 404 with an OpenAI-style error", async () => {
    const err = await client.chat.completions.create({ model: "gpt-17", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
  });
  const bad = [
    { name: "missing messages", body: JSON.stringify({ model: "sim-strong" }), param: "messages" },
    { name: "bad role", body: JSON.stringify({ model: "sim-strong", messages: [{ content: "x" }] }), param: "messages[0].role" },
    { name: "temperature out of range", body: JSON.stringify({ model: "sim-strong", messages: [{ role: "user", content: "x" }], temperature: 7 }), param: "temperature" },
    { name: "not JSON", body: "{nope", param: "body" },
  ];
  for (const tc of bad) {
    it(`${tc.name} -> 400 naming ${tc.param}`, async () => {
      const res = await fetch(`${sim.baseUrl}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: tc.body });
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: { param: string; type: string } };
      expect(json.error.param).toBe(tc.param);
      expect(json.error.type).toBe("invalid_request_error");
    });
  }
});

describe("models and truth", () => {
  it("lists every model of the truth, and /healthz says simulator", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    const t = sim.truth();
    for (const name of [...Object.keys(t.models), ...Object.keys(t.judges), ...Object.keys(t.rewardModels), ...Object.keys(t.embeddingModels)]) {
      expect(ids).toContain(name);
    }
    expect(await (await fetch(`${sim.url}/healthz`)).json()).toEqual({ status: "ok", simulator: true });
  });

  it("GET /sim/truth has the documented shape", async () => {
    const t = (await (await fetch(`${sim.url}/sim/truth`)).json()) as Record<string, unknown>;
    const shape = z.object({
      simulator: z.literal(true),
      seed: z.literal(11),
      categories: z.array(z.string()).min(6),
      models: z.record(z.string(), z.object({ skill: z.number(), skills: z.record(z.string(), z.number()) })),
      judges: z.record(z.string(), z.object({ noise: z.number(), positionBias: z.number(), verbosityBias: z.number(), invalidRate: z.number() })),
    });
    const parsed = shape.parse(t);
    expect(Object.keys(parsed.models).length).toBeGreaterThanOrEqual(6);
    expect(Object.keys(parsed.judges).length).toBeGreaterThanOrEqual(3);
    for (const m of Object.values(parsed.models)) {
      expect(Object.keys(m.skills).sort()).toEqual([...parsed.categories].sort());
      const mean = Object.values(m.skills).reduce((s, x) => s + x, 0) / parsed.categories.length;
      expect(m.skill).toBeCloseTo(mean, 10);
    }
  });

  it("POST /sim/models registers a derived model", async () => {
    const post = (body: unknown): Promise<Response> =>
      fetch(`${sim.url}/sim/models`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const res = await post({ name: "sim-target-v2", from: "sim-target", skillDelta: { math: 1.5, coding: 0.5 } });
    expect(res.status).toBe(201);
    const before = sim.truth().models["sim-target"];
    const after = sim.truth().models["sim-target-v2"];
    expect(after?.skills.math).toBeCloseTo((before?.skills.math ?? NaN) + 1.5, 10);
    expect(after?.skills.writing).toBe(before?.skills.writing);
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain("sim-target-v2");
    const r = await client.chat.completions.create({ model: "sim-target-v2", messages: [{ role: "user", content: "hi" }] });
    expect(r.model).toBe("sim-target-v2");
    const errors = [
      { body: { name: "sim-target-v2", from: "sim-target" }, status: 409 },
      { body: { name: "sim-x", from: "nope" }, status: 404 },
      { body: { name: "sim-y", from: "sim-target", skillDelta: { cooking: 1 } }, status: 400 },
      { body: { from: "sim-target" }, status: 400 },
    ];
    for (const e of errors) expect((await post(e.body)).status).toBe(e.status);
  });
});

describe("embeddings", () => {
  it("base64 (SDK default) and float formats agree and are unit vectors", async () => {
    const input = ["the cat sat on the mat", "the cat sat on a mat", "quantum field theory"];
    const b64 = await client.embeddings.create({ model: "sim-embed", input });
    const flt = await client.embeddings.create({ model: "sim-embed", input, encoding_format: "float" });
    const vecs = b64.data.map((d) => d.embedding);
    expect(vecs.map((v) => v.length)).toEqual([256, 256, 256]);
    for (const [i, v] of vecs.entries()) {
      const f = flt.data[i]?.embedding ?? [];
      v.forEach((x, j) => expect(x).toBeCloseTo(f[j] ?? NaN, 6));
      expect(Math.sqrt(v.reduce((s, x) => s + x * x, 0))).toBeCloseTo(1, 5);
    }
    const cos = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
    expect(cos(vecs[0] ?? [], vecs[1] ?? [])).toBeGreaterThan(cos(vecs[0] ?? [], vecs[2] ?? []));
    expect(b64.usage.prompt_tokens).toBe(input.reduce((s, t) => s + tokens(countWords(t)), 0));
  });
});

describe("structured output", () => {
  const schema = z.object({
    instructions: z
      .array(z.object({ text: z.string().min(5), category: z.enum(["coding", "math", "writing"]), difficulty: z.number().int().min(1).max(5) }))
      .min(2)
      .max(4),
    done: z.boolean(),
  });
  it.each(["sim-strong", "sim-weak", "sim-judge-fair"])("%s answers JSON that validates", async (model) => {
    const r = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "Generate instructions about volcano geology and hawaiian culture." }],
      response_format: { type: "json_schema", json_schema: { name: "instructions", schema: z.toJSONSchema(schema) as Record<string, unknown> } },
    });
    const value = schema.parse(JSON.parse(r.choices[0]?.message.content ?? ""));
    expect(value.instructions.length).toBeGreaterThanOrEqual(2);
  });

  it("a judge fills verdict enums from its decision", async () => {
    const verdict = z.object({ reasoning: z.string(), winner: z.enum(["model_a", "model_b", "tie"]) });
    const q = "Explain photosynthesis, chlorophyll, sunlight, glucose and oxygen.";
    const good = "Photosynthesis uses chlorophyll to capture sunlight and make glucose, releasing oxygen.";
    const prompt = (a: string, b: string): string =>
      `<|User Prompt|>\n${q}\n\n<|The Start of Assistant A's Answer|>\n${a}\n<|The End of Assistant A's Answer|>\n\n<|The Start of Assistant B's Answer|>\n${b}\n<|The End of Assistant B's Answer|>`;
    const ask = async (a: string, b: string): Promise<string> => {
      const r = await client.chat.completions.create({
        model: "sim-judge-fair",
        messages: [{ role: "user", content: prompt(a, b) }],
        response_format: { type: "json_schema", json_schema: { name: "verdict", schema: z.toJSONSchema(verdict) as Record<string, unknown> } },
      });
      return verdict.parse(JSON.parse(r.choices[0]?.message.content ?? "")).winner;
    };
    expect(await ask(good, "I am not sure.")).toBe("model_a");
    expect(await ask("I am not sure.", good)).toBe("model_b");
  });
});
