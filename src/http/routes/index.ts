/** Route groups added by later capabilities (gateway, rounds, ratings, exports, generator). */
import type { Deps } from "../../deps.js";
import type { newRouter } from "../openapi.js";

export function extraRoutes(_deps: Deps): ReturnType<typeof newRouter>[] {
  return [];
}
