/** Background work that runs beside the HTTP server (the embedded worker, added with rounds). */
import type { Deps } from "./deps.js";

export interface Background {
  stop(): Promise<void>;
}

export function startBackground(_deps: Deps): Background {
  return { stop: async () => {} };
}
