/**
 * Seeded randomness for generation plans: per-task seeds derived from strings, shuffles and
 * uniform integers. Everything takes the random generator as an argument (never Math.random),
 * so a plan is reproducible from its seed.
 */
import { seededRandom } from "../../battles/pairing.js";

export { seededRandom };

/** FNV-1a over the parts joined by U+0001: a stable 32-bit seed for a task or a stage. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const s = parts.map(String).join("\u0001");
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Fisher-Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/** Integer drawn uniformly in [lo, hi]. */
export function randInt(lo: number, hi: number, random: () => number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}
