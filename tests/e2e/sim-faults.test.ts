// Faults and latency over real HTTP: observed rates within binomial bounds of the configured ones,
// 429 headers, per-model faults, SDK retries that honour retry-after-ms, latency as a floor, and close()
// not waiting for hanging requests.
import http from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/server.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5 });
});
afterAll(async () => {
  await sim.close();
});

type Outcome = "ok" | "429" | "500" | "truncated" | "hang";

async function call(body: unknown, timeoutMs = 30_000): Promise<{ outcome: Outcome; headers?: Headers; content?: string }> {
  try {
    const res = await fetch(`${sim.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status === 429) return { outcome: "429", headers: res.headers };
    if (res.status === 500) return { outcome: "500" };
    const text = await res.text().catch(() => null);
    if (text === null) return { outcome: "truncated" };
    const json = JSON.parse(text) as { choices: { message: { content: string } }[] };
    return { outcome: "ok", content: json.choices[0]?.message.content ?? "" };
  } catch (err) {
    return { outcome: (err as Error).name === "TimeoutError" ? "hang" : "truncated" };
  }
}

async function many(n: number, body: (i: number) => unknown, limit = 32, timeoutMs = 30_000): Promise<Awaited<ReturnType<typeof call>>[]> {
  const out: Awaited<ReturnType<typeof call>>[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await call(body(i), timeoutMs);
      }
    }),
  );
  return out;
}

const within = (count: number, n: number, p: number): boolean => Math.abs(count / n - p) <= 4 * Math.sqrt((p * (1 - p)) / n) + 1e-9;
const chat = (i: number, model = "sim-medium"): unknown => ({ model, messages: [{ role: "user", content: `Question number ${i} about rivers.` }] });

describe("transport faults", () => {
  it("occur at roughly the configured rates, and clients see exactly what the server injected", async () => {
    const rates = { rate429: 0.15, error500: 0.1, truncate: 0.1 };
    sim.setFaults({ ...rates, retryAfterSeconds: 0.02 });
    const before = sim.stats().faults;
    const n = 300;
    const results = await many(n, (i) => chat(i));
    sim.setFaults({});
    const injected = sim.stats().faults;
    const count = (o: Outcome): number => results.filter((r) => r.outcome === o).length;
    const cases = [
      { outcome: "429" as const, kind: "rate429", p: rates.rate429 },
      { outcome: "500" as const, kind: "error500", p: rates.error500 },
      { outcome: "truncated" as const, kind: "truncate", p: rates.truncate },
    ];
    for (const tc of cases) {
      const server = (injected[tc.kind] ?? 0) - (before[tc.kind] ?? 0);
      expect(count(tc.outcome), tc.kind).toBe(server);
      expect(within(server, n, tc.p), `${tc.kind}: ${server}/${n}`).toBe(true);
    }
    const limited = results.find((r) => r.outcome === "429");
    expect(limited?.headers?.get("retry-after")).toBe("1");
    expect(limited?.headers?.get("retry-after-ms")).toBe("20");
  });

  it("hang: exactly the injected requests stay unanswered until close() drops them", async () => {
    const other = await startSimulator({ seed: 9, faults: { hang: 0.2 } });
    const n = 100;
    let settled = 0;
    const pending = Array.from({ length: n }, (_, i) =>
      fetch(`${other.baseUrl}/chat/completions`, { method: "POST", body: JSON.stringify(chat(i)) })
        .then((r) => r.text())
        .then(
          () => "answered",
          () => "dropped",
        )
        .finally(() => settled++),
    );
    // No client timeouts: wait until every non-hung request is answered (however busy the machine is).
    const hung = (): number => other.stats().faults.hang ?? 0;
    while (other.stats().requests < n || settled < n - hung()) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(n - hung());
    expect(within(hung(), n, 0.2), `hang: ${hung()}/${n}`).toBe(true);
    await other.close();
    const outcomes = await Promise.all(pending);
    expect(outcomes.filter((o) => o === "dropped").length).toBe(hung());
  });

  it("apply per model, overriding the global rates", async () => {
    sim.setFaults({ error500: 0, perModel: { "sim-weak": { error500: 1 } } });
    const weak = await many(20, (i) => chat(i, "sim-weak"));
    const medium = await many(20, (i) => chat(i, "sim-medium"));
    sim.setFaults({});
    expect(weak.every((r) => r.outcome === "500")).toBe(true);
    expect(medium.every((r) => r.outcome === "ok")).toBe(true);
  });

  it("POST /sim/config changes faults at run time and validates them", async () => {
    const post = (body: unknown): Promise<Response> =>
      fetch(`${sim.url}/sim/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ faults: { error500: 1 } })).status).toBe(200);
    expect((await call(chat(1))).outcome).toBe("500");
    expect((await post({ faults: {} })).status).toBe(200);
    expect((await call(chat(1))).outcome).toBe("ok");
    const bad = await post({ faults: { error500: 3 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("faults.error500");
  });

  it("the openai SDK's retries get through a 50% 429 rate", async () => {
    sim.setFaults({ rate429: 0.5, retryAfterSeconds: 0.01 });
    // P(21 straight 429s) = 0.5^21: about 1e-5 for the 20 calls.
    const client = new OpenAI({ baseURL: sim.baseUrl, apiKey: "sim", maxRetries: 20 });
    const texts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.chat.completions.create({ model: "sim-good", messages: [{ role: "user", content: `q${i}` }] })),
    );
    sim.setFaults({});
    expect(texts.every((r) => (r.choices[0]?.message.content ?? "").length > 0)).toBe(true);
  });
});

describe("truncated streams", () => {
  it("cut an SSE stream before [DONE], which the SDK reports as an error", async () => {
    sim.setFaults({ truncate: 1 });
    const client = new OpenAI({ baseURL: sim.baseUrl, apiKey: "sim", maxRetries: 0 });
    let received = "";
    const outcome = await (async () => {
      const stream = await client.chat.completions.create({ model: "sim-verbose", messages: [{ role: "user", content: "Describe rivers." }], stream: true });
      for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? "";
      return "completed";
    })().catch(() => "failed");
    sim.setFaults({});
    const full = await client.chat.completions.create({ model: "sim-verbose", messages: [{ role: "user", content: "Describe rivers." }] });
    expect(outcome).toBe("failed");
    expect((full.choices[0]?.message.content ?? "").startsWith(received)).toBe(true);
    expect(received.length).toBeLessThan((full.choices[0]?.message.content ?? "").length);
  });
});

describe("content faults", () => {
  it("invalidJson breaks structured output at the configured rate", async () => {
    sim.setFaults({ invalidJson: 0.3 });
    const n = 200;
    const results = await many(n, (i) => ({ ...(chat(i) as object), response_format: { type: "json_object" } }));
    sim.setFaults({});
    const broken = results.filter((r) => {
      try {
        JSON.parse(r.content ?? "");
        return false;
      } catch {
        return true;
      }
    }).length;
    expect(within(broken, n, 0.3)).toBe(true);
  });

  it("invalidVerdict removes the verdict label at the configured rate (plus the judge's own invalidRate)", async () => {
    const judge = "sim-judge-fair";
    const own = sim.truth().judges[judge]?.invalidRate ?? NaN;
    sim.setFaults({ invalidVerdict: 0.4 });
    const n = 200;
    const results = await many(n, (i) => ({
      model: judge,
      messages: [
        {
          role: "user",
          content: `<|User Prompt|>\nName river ${i}.\n\n<|The Start of Assistant A's Answer|>\nThe Nile.\n<|The End of Assistant A's Answer|>\n\n<|The Start of Assistant B's Answer|>\nRiver ${i}.\n<|The End of Assistant B's Answer|>`,
        },
      ],
    }));
    sim.setFaults({});
    const unlabeled = results.filter((r) => !/\[\[[AB<>=]+\]\]/.test(r.content ?? "")).length;
    expect(within(unlabeled, n, 0.4 + 0.6 * own)).toBe(true);
  });
});

describe("latency and shutdown", () => {
  it("fixed latency is a floor on response time", async () => {
    sim.setLatency({ kind: "fixed", ms: 150 });
    const t0 = performance.now();
    const r = await call(chat(1), 5000);
    const elapsed = performance.now() - t0;
    sim.setLatency({ kind: "fixed", ms: 0 });
    expect(r.outcome).toBe("ok");
    expect(elapsed).toBeGreaterThanOrEqual(145);
  });

  it("latency counts from the request's arrival, so a slow upload is part of it", async () => {
    // Headers now, body 250 ms later: the reply is due 400 ms after the headers, not 400 ms after the body.
    sim.setLatency({ kind: "fixed", ms: 400 });
    const payload = JSON.stringify(chat(2));
    const t0 = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${sim.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.flushHeaders();
      setTimeout(() => req.end(payload), 250);
    });
    const elapsed = performance.now() - t0;
    sim.setLatency({ kind: "fixed", ms: 0 });
    expect(status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(395);
    expect(elapsed).toBeLessThan(600);
  });

  it("close() resolves promptly with hanging requests in flight", async () => {
    const other = await startSimulator({ seed: 1, faults: { hang: 1 } });
    const pending = Array.from({ length: 3 }, () =>
      fetch(`${other.baseUrl}/chat/completions`, { method: "POST", body: JSON.stringify(chat(0)) }).then(
        () => "answered",
        () => "dropped",
      ),
    );
    while (other.stats().requests < 3) await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    await other.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await Promise.all(pending)).toEqual(["dropped", "dropped", "dropped"]);
  });
});
