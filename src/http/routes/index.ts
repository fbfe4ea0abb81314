/** Route groups beyond the foundation (health, keys, models), registered in this order. */
import type { Deps } from "../../deps.js";
import type { newRouter } from "../openapi.js";
import { battleRoutes } from "./battles.js";
import { chatRoutes } from "./chat.js";
import { instructionRoutes } from "./instructions.js";
import { roundRoutes } from "./rounds.js";

export function extraRoutes(deps: Deps): ReturnType<typeof newRouter>[] {
  return [chatRoutes(deps), instructionRoutes(deps), roundRoutes(deps), battleRoutes(deps)];
}
