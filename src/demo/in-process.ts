/**
 * What both demos (`demo.ts`, `mt-bench.ts`) run on: the app called in process, a round followed to
 * its end on one progress line, and the name of the scratch database they opened.
 */
import { RoundProgressSchema } from "../../battles/progress-schema.js";
import type { Deps } from "../deps.js";
import type { createApp } from "../http/app.js";
import { progressLine } from "../progress-line.js";

/** A request to the app: the JSON body (or `{ text }` for other content); a 4xx/5xx throws with its body. */
export type Api = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

export function inProcessApi(app: ReturnType<typeof createApp>): Api {
  return async (method, path, body) => {
    const res = await app.request(path, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (res.headers.get("content-type") ?? "").startsWith("application/json") ? (JSON.parse(text) as Record<string, unknown>) : { text };
  };
}

export interface ProgressOut {
  progress: (s: string) => void;
  isTty: boolean;
}

/** Follows round `id` to its end, redrawing one line on a terminal; throws unless it ended done. */
export async function followRound(api: Api, id: string, label: string, o: ProgressOut, labelWidth: number): Promise<void> {
  for (;;) {
    const p = RoundProgressSchema.parse(await api("GET", `/v1/rounds/${id}`));
    const line = `${label.padEnd(labelWidth)} ${progressLine(p, 24)}`;
    if (o.isTty) o.progress(`\r${line}`);
    if (["done", "failed", "cancelled"].includes(p.status)) {
      o.progress(o.isTty ? "\n" : `${line}\n`);
      if (p.status !== "done") throw new Error(`round ${id} ended ${p.status}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The scratch database a demo runs on, as its header names it. */
export function databaseKind(deps: Deps): string {
  return deps.dbHandle.kind === "embedded" ? "embedded PostgreSQL" : deps.dbHandle.kind === "pglite" ? "PGlite" : "PostgreSQL";
}
