/**
 * /v1/judge-templates on both drivers: create, list beside the built-ins, get a version, change in
 * place while unused and as a new version once a round uses it (the old version's text kept), rounds
 * naming a template by name (latest) or name@n, and every bad input a 4xx naming the problem.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { json, makeTestApp, type TestApp } from "../helpers/app.js";
import { importItems } from "../helpers/arena.js";
import { describeEachDb } from "../helpers/db.js";

interface View { name: string; version: number; promptVersion: string; builtin: boolean; mode: string; systemPrompt: string; userTemplate: string; output: { kind: string }; versions: number }
interface Err { error: { code: string; message: string } }

const USER = "<question>{{question}}</question>\n<answer_a>{{answer_a}}</answer_a>\n<answer_b>{{answer_b}}</answer_b>";
const rubric = { name: "code-rubric", mode: "pairwise", systemPrompt: "Judge the code against the rubric. End with [[A>B]]-style labels.", userTemplate: USER, output: { kind: "labels" } };
const schemaOf = (verdict: Record<string, unknown>, required: string[] = ["verdict"]) => ({ type: "object", properties: { verdict }, required });

describeEachDb("judge templates users write on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(await target.open());
    for (const name of ["m-a", "m-b", "j"]) expect((await t.req("POST", "/v1/models", { name, provider: "sim", model: "sim-strong" })).status).toBe(201);
    await importItems(t, [{ text: "Write a function that reverses a string.", category: "code" }]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await t?.deps.dbHandle.close();
  });
  const round = (promptVersion: string, judgeMode = "pairwise") => t.req("POST", "/v1/rounds", { candidates: ["m-a", "m-b"], pairing: "all-pairs", judges: ["j"], judgeMode, promptVersion });

  it("creates version 1 and lists it after the built-ins", async () => {
    const res = await t.req("POST", "/v1/judge-templates", rubric);
    expect(res.status).toBe(201);
    expect(await json<View>(res)).toMatchObject({ name: "code-rubric", version: 1, promptVersion: "code-rubric@1", builtin: false, mode: "pairwise", userTemplate: USER, versions: 1 });
    const list = await json<{ items: View[] }>(await t.req("GET", "/v1/judge-templates"));
    expect(list.items.map((i) => [i.promptVersion, i.builtin, i.mode, i.output.kind])).toEqual([
      ["arena-hard-v2@1", true, "pairwise", "labels"],
      ["arena-hard-v2-json@1", true, "pairwise", "json"],
      ["mt-bench-single@1", true, "single", "rating"],
      ["mt-bench-pair-multi-turn@1", true, "pairwise", "labels"],
      ["mt-bench-pair-multi-turn-last@1", true, "pairwise", "labels"],
      ["mt-bench-single-multi-turn@1", true, "single", "rating"],
      ["mt-bench-single-multi-turn-last@1", true, "single", "rating"],
      ["code-rubric@1", false, "pairwise", "labels"],
    ]);
    const builtin = list.items[0];
    expect(builtin?.userTemplate).toContain("<|The Start of Assistant A's Answer|>\n{{answer_a}}");
  });

  it("a PATCH before any round uses the version changes it in place", async () => {
    const res = await t.req("PATCH", "/v1/judge-templates/code-rubric", { systemPrompt: "Judge the code. Labels [[A>B]] etc." });
    expect(res.status).toBe(200);
    expect(await json<View>(res)).toMatchObject({ version: 1, systemPrompt: "Judge the code. Labels [[A>B]] etc.", versions: 1 });
  });

  it("a round names the template by name (the latest) and records name@n", async () => {
    const res = await round("code-rubric");
    expect(res.status).toBe(202);
    const { id } = await json<{ id: string }>(res);
    expect(await json(await t.req("GET", `/v1/rounds/${id}`))).toMatchObject({ promptVersion: "code-rubric@1" });
  });

  it("a round may name a built-in without its version", async () => {
    const res = await round("mt-bench-single", "single");
    expect(res.status).toBe(202);
    expect(await json(await t.req("GET", `/v1/rounds/${(await json<{ id: string }>(res)).id}`))).toMatchObject({ promptVersion: "mt-bench-single@1" });
  });

  it("a PATCH once a round uses the version makes version 2 and keeps version 1", async () => {
    const res = await t.req("PATCH", "/v1/judge-templates/code-rubric", { userTemplate: `Rubric: tests pass, clear names.\n${USER}` });
    expect(res.status).toBe(201);
    expect(await json<View>(res)).toMatchObject({ version: 2, promptVersion: "code-rubric@2", versions: 2 });
    expect(await json<View>(await t.req("GET", "/v1/judge-templates/code-rubric?version=1"))).toMatchObject({ version: 1, userTemplate: USER, systemPrompt: "Judge the code. Labels [[A>B]] etc." });
    expect(await json<View>(await t.req("GET", "/v1/judge-templates/code-rubric"))).toMatchObject({ version: 2 });
    const list = await json<{ items: View[] }>(await t.req("GET", "/v1/judge-templates"));
    expect(list.items.filter((i) => !i.builtin).map((i) => [i.promptVersion, i.versions])).toEqual([["code-rubric@2", 2]]);
    const r2 = await round("code-rubric@2");
    expect(r2.status).toBe(202);
    expect(await json(await t.req("GET", `/v1/rounds/${(await json<{ id: string }>(r2)).id}`))).toMatchObject({ promptVersion: "code-rubric@2" });
  });

  it("a PATCH of the description alone of a used version keeps the version", async () => {
    const res = await t.req("PATCH", "/v1/judge-templates/code-rubric", { description: "for the code rounds" });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ version: 2, description: "for the code rounds", versions: 2 });
  });

  it("a single-grading JSON template is created and usable by a single round", async () => {
    const body = { name: "house-style", mode: "single", systemPrompt: "Rate the style.", userTemplate: "<question>{{question}}</question><answer>{{answer}}</answer>", output: { kind: "json", schema: schemaOf({ type: "integer", minimum: 1, maximum: 10 }), verdictField: "verdict" } };
    expect((await t.req("POST", "/v1/judge-templates", body)).status).toBe(201);
    expect((await round("house-style@1", "single")).status).toBe(202);
  });

  const errors: { name: string; method: string; path: string; body: unknown; status: number; mentions: string }[] = [
    { name: "unknown placeholder", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "x1", userTemplate: `${USER} {{rubric}}` }, status: 400, mentions: "{{rubric}}" },
    { name: "a schema without the verdict field", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "x2", output: { kind: "json", schema: schemaOf({ type: "string" }), verdictField: "winner" } }, status: 400, mentions: "output.verdictField" },
    { name: "a verdict field not required", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "x3", output: { kind: "json", schema: schemaOf({ type: "string" }, []), verdictField: "verdict" } }, status: 400, mentions: "output.schema.required" },
    { name: "json output without a schema", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "x4", output: { kind: "json", verdictField: "verdict" } }, status: 400, mentions: "schema" },
    { name: "an unknown output kind", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "x5", output: { kind: "stars" } }, status: 400, mentions: "output" },
    { name: "rating output on a pairwise template", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "x6", output: { kind: "rating" } }, status: 400, mentions: "output.kind" },
    { name: "an unknown field", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "x7", temperature: 0 }, status: 400, mentions: "temperature" },
    { name: "a bad name", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "Bad Name" }, status: 400, mentions: "name" },
    { name: "a NUL character", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "x8", systemPrompt: "a\u0000b" }, status: 400, mentions: "systemPrompt" },
    { name: "a name taken", method: "POST", path: "/v1/judge-templates", body: rubric, status: 409, mentions: "code-rubric" },
    { name: "a built-in's name", method: "POST", path: "/v1/judge-templates", body: { ...rubric, name: "arena-hard-v2" }, status: 409, mentions: "built-in" },
    { name: "PATCH of a built-in", method: "PATCH", path: "/v1/judge-templates/mt-bench-single", body: { systemPrompt: "x" }, status: 409, mentions: "built-in" },
    { name: "PATCH of an unknown template", method: "PATCH", path: "/v1/judge-templates/nope", body: { systemPrompt: "x" }, status: 404, mentions: "nope" },
    { name: "PATCH changing the mode", method: "PATCH", path: "/v1/judge-templates/code-rubric", body: { mode: "single" }, status: 400, mentions: "mode" },
    { name: "PATCH with nothing to change", method: "PATCH", path: "/v1/judge-templates/code-rubric", body: {}, status: 400, mentions: "at least one" },
    { name: "PATCH making the template invalid", method: "PATCH", path: "/v1/judge-templates/code-rubric", body: { userTemplate: "{{question}} {{answer_a}}" }, status: 400, mentions: "{{answer_b}}" },
    { name: "GET of an unknown version", method: "GET", path: "/v1/judge-templates/code-rubric?version=9", body: undefined, status: 404, mentions: "code-rubric@9" },
    { name: "GET of a built-in's unknown version", method: "GET", path: "/v1/judge-templates/arena-hard-v2?version=2", body: undefined, status: 404, mentions: "arena-hard-v2@2" },
    { name: "GET with a bad version", method: "GET", path: "/v1/judge-templates/code-rubric?version=0", body: undefined, status: 400, mentions: "version" },
    { name: "a round on an unknown template", method: "POST", path: "/v1/rounds", body: { candidates: ["m-a", "m-b"], pairing: "all-pairs", judges: ["j"], promptVersion: "nope@1" }, status: 400, mentions: "promptVersion" },
    { name: "a round on an unknown version", method: "POST", path: "/v1/rounds", body: { candidates: ["m-a", "m-b"], pairing: "all-pairs", judges: ["j"], promptVersion: "code-rubric@7" }, status: 400, mentions: "code-rubric@7" },
    { name: "a pairwise round on a single template", method: "POST", path: "/v1/rounds", body: { candidates: ["m-a", "m-b"], pairing: "all-pairs", judges: ["j"], promptVersion: "house-style" }, status: 400, mentions: "single template" },
    { name: "a reward round with a template", method: "POST", path: "/v1/rounds", body: { candidates: ["m-a", "m-b"], pairing: "all-pairs", judges: ["j"], judgeMode: "reward", promptVersion: "code-rubric" }, status: 400, mentions: "reward" },
  ];
  for (const tc of errors) {
    it(`${tc.status}: ${tc.name}`, async () => {
      const res = await t.req(tc.method, tc.path, tc.body);
      const body = await json<Err>(res);
      expect({ status: res.status, code: body.error?.code }).toMatchObject({ status: tc.status });
      expect(body.error.message).toContain(tc.mentions);
    });
  }
});
