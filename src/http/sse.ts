/**
 * Progress as server-sent events, for anything that can be re-read and has a status: a `progress`
 * event whenever the state changes, then `end` once the status is terminal. Clients get the current
 * state at once, so a late subscriber still sees the result. Every `/events` route uses this helper,
 * with `EventsQuery` and `EVENT_STREAM` in its route definition.
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";

/** Query of an `/events` route: how often the state is re-read. */
export const EventsQuery = z.object({ intervalMs: z.coerce.number().int().min(100).max(60_000).default(1000) });

/** The 200 of an `/events` route in the OpenAPI document. */
export const EVENT_STREAM = { 200: { description: "text/event-stream", content: { "text/event-stream": { schema: z.string() } } } };

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
