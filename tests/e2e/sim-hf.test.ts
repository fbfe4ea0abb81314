// The Hugging Face routes through the real @huggingface/inference client with `endpointUrl`:
// reward scoring (textClassification), embeddings (featureExtraction), chat (chatCompletion) and errors.
import { InferenceClient } from "@huggingface/inference";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/server.js";

let sim: Simulator;
const hf = new InferenceClient();
beforeAll(async () => {
  sim = await startSimulator({ seed: 3 });
});
afterAll(async () => {
  await sim.close();
});

const Q = "Explain photosynthesis, chlorophyll, sunlight, glucose and oxygen.";
const GOOD = "Photosynthesis uses chlorophyll to capture sunlight and make glucose, releasing oxygen.";
const POOR = "Plants are green and nice to look at.";

describe("reward model via textClassification", () => {
  const render = [
    { name: "User/Assistant", f: (a: string) => `User: ${Q}\nAssistant: ${a}` },
    { name: "chat template", f: (a: string) => `<|user|>\n${Q}<|end|>\n<|assistant|>\n${a}<|end|>` },
    { name: "JSON messages", f: (a: string) => JSON.stringify([{ role: "user", content: Q }, { role: "assistant", content: a }]) },
  ];
  for (const r of render) {
    it(`scores a covering answer above a poor one (${r.name})`, async () => {
      const endpointUrl = `${sim.url}/hf/models/sim-reward`;
      const good = await hf.textClassification({ endpointUrl, inputs: r.f(GOOD) });
      const poor = await hf.textClassification({ endpointUrl, inputs: r.f(POOR) });
      expect(good[0]?.label).toBe("LABEL_0");
      const [g, p] = [good[0]?.score ?? NaN, poor[0]?.score ?? NaN];
      expect(g).toBeGreaterThan(0);
      expect(g).toBeLessThan(1);
      expect(g).toBeGreaterThan(p);
      // Deterministic: same text, same score.
      expect((await hf.textClassification({ endpointUrl, inputs: r.f(GOOD) }))[0]?.score).toBe(g);
    });
  }
});

describe("other HF tasks", () => {
  it("featureExtraction returns the same vector as /v1/embeddings", async () => {
    const v = (await hf.featureExtraction({ endpointUrl: `${sim.url}/hf/models/sim-embed`, inputs: "hello world" })) as number[];
    const res = await fetch(`${sim.baseUrl}/embeddings`, { method: "POST", body: JSON.stringify({ model: "sim-embed", input: "hello world", encoding_format: "float" }) });
    const json = (await res.json()) as { data: { embedding: number[] }[] };
    expect(v).toEqual(json.data[0]?.embedding);
  });

  it("chatCompletion with the model in the endpoint URL matches the OpenAI route", async () => {
    const messages = [{ role: "user", content: Q }];
    const viaHf = await hf.chatCompletion({ endpointUrl: `${sim.url}/hf/models/sim-strong`, messages });
    const viaBase = await hf.chatCompletion({ endpointUrl: sim.baseUrl, model: "sim-strong", messages });
    expect(viaHf.choices[0]?.message.content).toBeTruthy();
    expect(viaHf.choices[0]?.message.content).toBe(viaBase.choices[0]?.message.content);
    expect(viaHf.usage.completion_tokens).toBeGreaterThan(0);
  });

  it("textGeneration (OpenAI completions under the endpoint) matches the chat text for that prompt", async () => {
    const gen = await hf.textGeneration({ endpointUrl: `${sim.url}/hf/models/sim-good`, inputs: Q });
    const chat = await hf.chatCompletion({ endpointUrl: `${sim.url}/hf/models/sim-good`, messages: [{ role: "user", content: Q }] });
    expect(gen.generated_text).toBe(chat.choices[0]?.message.content);
  });

  it("an unknown model is an error that names it", async () => {
    const err = await hf.textClassification({ endpointUrl: `${sim.url}/hf/models/nope`, inputs: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toContain("nope");
  });
});
