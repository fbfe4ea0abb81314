// The simulator's batch interface over real HTTP through the official openai SDK: a JSONL upload,
// a batch whose status moves on the simulator's clock, output and error files, partial failures,
// an expired completion window, cancel, list and the errors that name the bad field.
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/server.js";

let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator({ seed: 5 });
  client = new OpenAI({ baseURL: sim.baseUrl, apiKey: "sim", maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});

const PROMPTS = ["What is 12 * 7? Show the steps.", "Write a haiku about autumn leaves.", "Explain photosynthesis to a child."];
const line = (custom_id: string, content: string, model = "sim-strong") =>
  JSON.stringify({ custom_id, method: "POST", url: "/v1/chat/completions", body: { model, messages: [{ role: "user", content }], max_tokens: 200 } });

async function submit(lines: string[], metadata?: Record<string, string>) {
  const file = await client.files.create({ file: await toFile(Buffer.from(lines.join("\n") + "\n"), "in.jsonl"), purpose: "batch" });
  return client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", ...(metadata ? { metadata } : {}) });
}

async function waitEnded(id: string): Promise<OpenAI.Batches.Batch> {
  for (;;) {
    const b = await client.batches.retrieve(id);
    if (["completed", "failed", "expired", "cancelled"].includes(b.status)) return b;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const readLines = async (fileId: string | null | undefined): Promise<Record<string, unknown>[]> => {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text.split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
};

describe("sim batches through the openai SDK", () => {
  it("uploads, moves validating -> in_progress -> completed, and answers each line as the chat route does", async () => {
    sim.setBatch({ completionMs: 300, failRate: 0 });
    const created = await submit(PROMPTS.map((p, i) => line(`req-${i}`, p)), { local: "a1" });
    expect(created.status).toBe("validating");
    expect(created.input_file_id).toMatch(/^file-/);
    expect(created.metadata).toEqual({ local: "a1" });
    const seen = new Set<string>([created.status]);
    for (;;) {
      const b = await client.batches.retrieve(created.id);
      seen.add(b.status);
      if (b.status === "completed") break;
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(seen.has("in_progress")).toBe(true);
    const done = await client.batches.retrieve(created.id);
    expect(done.request_counts).toEqual({ total: 3, completed: 3, failed: 0 });
    expect(done.error_file_id).toBeNull();
    const out = await readLines(done.output_file_id);
    expect(out.map((o) => o.custom_id)).toEqual(["req-0", "req-1", "req-2"]);
    for (const [i, o] of out.entries()) {
      const resp = o.response as { status_code: number; body: OpenAI.Chat.Completions.ChatCompletion };
      expect(resp.status_code).toBe(200);
      expect(o.error).toBeNull();
      const direct = await client.chat.completions.create({ model: "sim-strong", messages: [{ role: "user", content: PROMPTS[i] ?? "" }], max_tokens: 200 });
      expect(resp.body.choices[0]?.message.content).toBe(direct.choices[0]?.message.content);
      expect(resp.body.usage).toEqual(direct.usage);
    }
    expect(sim.stats().batch.submitted["req-0"]).toBe(1);
  });

  it("puts failed and malformed requests in the error file, with their status", async () => {
    sim.setBatch({ completionMs: 0, failRate: 0.5 });
    const lines = Array.from({ length: 40 }, (_, i) => line(`f-${i}`, `${PROMPTS[i % 3]} number ${i}`));
    lines.push(line("bad-model", "hello", "no-such-model"));
    const b = await waitEnded((await submit(lines)).id);
    expect(b.status).toBe("completed");
    const out = await readLines(b.output_file_id);
    const err = await readLines(b.error_file_id);
    expect(out.length + err.length).toBe(41);
    expect(b.request_counts).toEqual({ total: 41, completed: out.length, failed: err.length });
    const statuses = err.map((e) => (e.response as { status_code: number }).status_code);
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(5);
    expect(err.find((e) => e.custom_id === "bad-model")?.response).toMatchObject({ status_code: 404 });
    sim.setBatch({ failRate: 0 });
  });

  it("expires a batch slower than its window, keeping what finished", async () => {
    sim.setBatch({ completionMs: 400, expireAfterMs: 100 });
    const b = await waitEnded((await submit(Array.from({ length: 8 }, (_, i) => line(`e-${i}`, `${PROMPTS[0]} ${i}`)))).id);
    expect(b.status).toBe("expired");
    const out = await readLines(b.output_file_id);
    const err = await readLines(b.error_file_id);
    expect(out.length).toBe(2);
    expect(err.map((e) => (e.error as { code: string }).code)).toEqual(Array(6).fill("batch_expired"));
    sim.setBatch({ completionMs: 0, expireAfterMs: undefined });
  });

  it("cancels a batch in flight, lists batches newest first and finds one by metadata", async () => {
    sim.setBatch({ completionMs: 60_000 });
    const b = await submit([line("c-0", "hi")], { local: "cancel-me" });
    const cancelling = await client.batches.cancel(b.id);
    expect(cancelling.status).toBe("cancelling");
    await new Promise((r) => setTimeout(r, 5));
    const ended = await waitEnded(b.id);
    expect(ended.status).toBe("cancelled");
    await expect(client.batches.cancel(b.id)).rejects.toMatchObject({ status: 409 });
    const found: string[] = [];
    for await (const x of client.batches.list({ limit: 2 })) found.push(x.metadata?.local ?? "");
    expect(found[0]).toBe("cancel-me");
    expect(found).toContain("a1");
    sim.setBatch({ completionMs: 0 });
  });

  it("refuses bad input with a 4xx naming the field, and fails a batch whose lines are invalid", async () => {
    await expect(client.batches.create({ input_file_id: "file-nope", endpoint: "/v1/chat/completions", completion_window: "24h" })).rejects.toMatchObject({ status: 400, param: "input_file_id" });
    const f = await client.files.create({ file: await toFile(Buffer.from("x"), "in.jsonl"), purpose: "batch" });
    await expect(client.batches.create({ input_file_id: f.id, endpoint: "/v1/embeddings", completion_window: "24h" })).rejects.toMatchObject({ status: 400, param: "endpoint" });
    await expect(client.batches.retrieve("batch-missing")).rejects.toMatchObject({ status: 404 });
    await expect(client.files.content("file-missing")).rejects.toMatchObject({ status: 404 });
    const bad = await waitEnded((await submit(["not json", line("dup", "a"), line("dup", "b")])).id);
    expect(bad.status).toBe("failed");
    expect(bad.errors?.data?.map((e) => e.code)).toEqual(["invalid_json_line", "duplicate_custom_id"]);
    expect(sim.stats().batch.submitted.dup).toBeUndefined();
  });
});
