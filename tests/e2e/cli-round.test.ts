/** `matrix-arena round start FILE --follow` against a real server: prints the id and a finished progress bar. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { startSimulator } from "../../src/sim/server.js";
import { describeWithSharedData, mtBenchItems } from "../helpers/arena.js";
import { type Proc, spawnCli, stop, waitForListening } from "../helpers/proc.js";

describeWithSharedData("the CLI over MT-bench prompts", () => {
  const procs: Proc[] = [];
  afterAll(async () => {
    for (const p of procs) await stop(p);
  });

  it("starts a round and follows it to the end with a progress bar", async () => {
    const sim = await startSimulator({ seed: 3, latency: { kind: "fixed", ms: 1 } });
    const dir = mkdtempSync(join(tmpdir(), "ma-cli-"));
    const server = spawnCli(["serve"], { PORT: "0", MATRIX_ARENA_DATA_DIR: join(dir, "data"), MATRIX_ARENA_SIM_URL: sim.baseUrl });
    procs.push(server);
    const url = await waitForListening(server);
    const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    for (const name of ["sim-strong", "sim-weak", "sim-judge-fair"]) await post("/v1/models", { name, provider: "sim", model: name });
    await post("/v1/instructions", { items: mtBenchItems(10) });
    const file = join(dir, "round.json");
    writeFileSync(file, JSON.stringify({ candidates: ["sim-strong", "sim-weak"], pairing: "vs-baseline", baseline: "sim-weak", judges: ["sim-judge-fair"] }));
    const cli = spawnCli(["round", "start", file, "--follow"], { MATRIX_ARENA_URL: url });
    expect(await cli.exited).toBe(0);
    expect(cli.stdout.join("")).toMatch(/^[0-9a-f-]{36}\n$/);
    expect(cli.stderr.join("")).toMatch(/\[#+\] 10\/10 100% {2}failed 0 .* done/);
    await sim.close();
  }, 120_000);
});
