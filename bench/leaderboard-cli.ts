/**
 * `bench leaderboard-cli`: the offline board as a user runs it, whole process, on a 1M-battle log:
 * `node bin/matrix-arena.js leaderboard --input FILE --json` (the compiled CLI; this bench runs
 * `npm run build` first unless --no-build). The log is the ratings bench's synthetic arena (100 models
 * with known strengths, 10% ties) written as `{"model_a","model_b","winner"}` lines. The same-run
 * reference is a plain node process that reads the file and JSON.parses every line, nothing else.
 * Runs alternate (CLI, reference) --runs times (default 3); the medians give the ratio, of wall time
 * (the target) and of CPU time (what the work costs when the shared machine makes processes wait).
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { xoshiroRng } from "../lib/random.js";
import { generate } from "./ratings.js";
import { arg } from "./common.js";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin/matrix-arena.js");
const WINNER = (outcome: number): string => (outcome === 1 ? "model_a" : outcome === 0 ? "model_b" : "tie");

const REFERENCE = `import { createReadStream } from "node:fs";
let rest = "", n = 0;
for await (const chunk of createReadStream(process.argv[2], { encoding: "utf8" })) {
  rest += chunk;
  let start = 0;
  for (let nl = rest.indexOf("\\n"); nl !== -1; nl = rest.indexOf("\\n", start)) {
    if (nl > start) { JSON.parse(rest.slice(start, nl)); n++; }
    start = nl + 1;
  }
  rest = rest.slice(start);
}
if (rest !== "") { JSON.parse(rest); n++; }
process.stdout.write(n + "\\n");
`;

async function writeLog(path: string, n: number): Promise<void> {
  const { battles } = generate(n, xoshiroRng(20240601));
  const out = createWriteStream(path);
  for (let i = 0; i < battles.length; i += 10_000) {
    const lines = battles.slice(i, i + 10_000).map((b) => `{"model_a":"${b.modelA}","model_b":"${b.modelB}","winner":"${WINNER(b.outcome)}"}\n`);
    if (!out.write(lines.join(""))) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

/** CPU seconds of this process's waited-for children (cutime + cstime of /proc/self/stat). */
function childCpuSeconds(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[13]) + Number(f[14])) / 100;
}

/**
 * Wall and CPU seconds of one process; throws when it fails. CPU is printed beside wall time because
 * on this shared machine a process often waits for a core: CPU says what the work itself costs.
 */
function timed(args: string[]): { seconds: number; cpu: number; stdout: string; stderr: string } {
  const c0 = childCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { seconds, cpu: childCpuSeconds() - c0, stdout: r.stdout, stderr: r.stderr };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

export async function main(argv: string[] = []): Promise<void> {
  const n = arg(argv, "battles", 1_000_000);
  const runs = arg(argv, "runs", 3);
  if (!argv.includes("--no-build")) {
    const b = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
    if (b.status !== 0) throw new Error(`npm run build failed: ${b.stderr}`);
  }
  if (!existsSync(join(ROOT, "dist/src/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build`");
  const dir = mkdtempSync(join(tmpdir(), "ma-bench-lb-"));
  try {
    const file = join(dir, "battles.jsonl");
    const reference = join(dir, "reference.mjs");
    writeFileSync(reference, REFERENCE);
    await writeLog(file, n);
    console.log(`log: ${n} battles, ${(statSync(file).size / 1e6).toFixed(1)} MB`);
    const cli: number[] = [];
    const ref: number[] = [];
    const cliCpu: number[] = [];
    const refCpu: number[] = [];
    for (let k = 0; k < runs; k++) {
      const c = timed([BIN, "leaderboard", "--input", file, "--json"]);
      const items = (JSON.parse(c.stdout) as { items: unknown[] }).items.length;
      const r = timed([reference, file]);
      if (Number(r.stdout.trim()) !== n) throw new Error(`reference parsed ${r.stdout.trim()} lines, expected ${n}`);
      cli.push(c.seconds);
      ref.push(r.seconds);
      cliCpu.push(c.cpu);
      refCpu.push(r.cpu);
      console.log(`run ${k + 1}: cli ${c.seconds.toFixed(3)} s, cpu ${c.cpu.toFixed(2)} s (${items} models on the board; ${c.stderr.trim()}), reference ${r.seconds.toFixed(3)} s, cpu ${r.cpu.toFixed(2)} s`);
    }
    const s = median(cli);
    const rs = median(ref);
    console.log(`bench leaderboard-cli: seconds=${s.toFixed(3)} reference_s=${rs.toFixed(3)} ratio=${(s / rs).toFixed(3)} battles=${n} runs=${runs} min_s=${Math.min(...cli).toFixed(3)} min_reference_s=${Math.min(...ref).toFixed(3)} cpu_s=${median(cliCpu).toFixed(2)} reference_cpu_s=${median(refCpu).toFixed(2)} cpu_ratio=${(median(cliCpu) / median(refCpu)).toFixed(3)} load=${loadavg()[0]?.toFixed(1)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
