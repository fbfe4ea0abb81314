/**
 * `npm run bench [-- name...]`: runs the benchmarks one after another (all by default). Each prints
 * its figures and ends with one line `bench <name>: key=value ...`.
 */
const BENCHES = ["gateway", "ratings", "leaderboard-cli", "export", "dedup", "serve", "workers", "adaptive", "adaptive-replay", "embedded", "batch"] as const;
type Bench = (typeof BENCHES)[number];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = wanted.filter((w) => !(BENCHES as readonly string[]).includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${BENCHES.join(", ")}`);
  process.exit(2);
}
const run = (wanted.length > 0 ? wanted : BENCHES) as Bench[];
for (const name of run) {
  console.log(`\n=== bench ${name}`);
  const mod = (await import(`./${name}.ts`)) as { main: (argv: string[]) => Promise<void> };
  await mod.main(process.argv.slice(2).filter((a) => a.startsWith("-")));
}
process.exit(0);
