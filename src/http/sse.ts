/**
 * Progress as server-sent events, for anything that can be re-read and has a status: a `progress`
 * event whenever the state changes, then `end` once the status is terminal. Clients get the current
 * state at once, so a late subscriber still sees the result.
 */
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";

const TERMINAL = new Set(["done", "failed", "cancelled", "budget_exhausted"]);

export function progressEvents<T extends { status: string }>(
  c: Context,
  read: () => Promise<T>,
  opts: { intervalMs: number; changeKey?: (state: T) => string },
): Response {
  return streamSSE(c, async (stream) => {
    let last = "";
    let n = 0;
    while (!stream.aborted) {
      const state = await read();
      const data = JSON.stringify(state);
      const key = opts.changeKey ? opts.changeKey(state) : data;
      if (key !== last) {
        await stream.writeSSE({ event: "progress", data, id: String(n++) });
        last = key;
      }
      if (TERMINAL.has(state.status)) {
        await stream.writeSSE({ event: "end", data, id: String(n++) });
        break;
      }
      await stream.sleep(opts.intervalMs);
    }
  });
}
