/**
 * `matrix-arena round start FILE|-` and `matrix-arena round follow ID`: client commands that talk to a
 * running server (MATRIX_ARENA_URL, key from MATRIX_ARENA_API_KEY) and draw a progress bar from the
 * round's server-sent events.
 */
import { readFile } from "node:fs/promises";
import type { Config } from "../config.js";
import { progressLine, type ProgressLineInput } from "../progress-line.js";

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTty: boolean;
}


/** Parses a text/event-stream body into (event, data) pairs. */
export async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: string }> {
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let idx: number;
    while ((idx = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, idx);
      buf = buf.slice(idx + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      yield { event, data: data.join("\n") };
    }
  }
}

function headers(config: Config): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json" };
  if (config.bootstrapApiKey) h.authorization = `Bearer ${config.bootstrapApiKey}`;
  return h;
}

export async function followRound(config: Config, id: string, io: Io): Promise<number> {
  const res = await fetch(`${config.serverUrl}/v1/rounds/${encodeURIComponent(id)}/events?intervalMs=500`, { headers: headers(config) });
  if (!res.ok || !res.body) {
    io.err(`follow: ${res.status} ${await res.text()}\n`);
    return 1;
  }
  let last: ProgressLineInput | null = null;
  for await (const ev of sseEvents(res.body)) {
    last = JSON.parse(ev.data) as ProgressLineInput;
    const line = progressLine(last);
    if (io.isTty) io.err(`\r${line}`);
    else io.err(`${line}\n`);
    if (ev.event === "end") break;
  }
  if (io.isTty) io.err("\n");
  return last?.status === "done" ? 0 : 1;
}

export async function runRoundCommand(config: Config, argv: string[], io: Io): Promise<number> {
  const [sub, arg] = argv;
  if (sub === "follow" && arg) return followRound(config, arg, io);
  if (sub === "start" && arg) {
    const text = arg === "-" ? await readStdin() : await readFile(arg, "utf8");
    const res = await fetch(`${config.serverUrl}/v1/rounds`, { method: "POST", headers: headers(config), body: text });
    const body = await res.text();
    if (res.status !== 202) {
      io.err(`round start: ${res.status} ${body}\n`);
      return 1;
    }
    const { id } = JSON.parse(body) as { id: string };
    io.out(`${id}\n`);
    return argv.includes("--follow") ? followRound(config, id, io) : 0;
  }
  io.err("usage: matrix-arena round start FILE|- [--follow]   |   matrix-arena round follow ROUND_ID\n");
  return 2;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
