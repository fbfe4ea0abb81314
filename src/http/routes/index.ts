/** Route groups beyond the foundation (health, keys, models), registered in this order. */
import type { Deps } from "../../deps.js";
import type { newRouter } from "../openapi.js";
import { battleImportRoutes } from "./battle-import.js";
import { battleRoutes } from "./battles.js";
import { exportRoutes } from "./exports.js";
import { leaderboardRoutes } from "./leaderboard.js";
import { loopRoutes } from "./loops.js";
import { chatRoutes } from "./chat.js";
import { instructionRoutes } from "./instructions.js";
import { roundRoutes } from "./rounds.js";
import { dashboardRoutes } from "./dashboard.js";
import { reportRoutes } from "./reports.js";
import { usageRoutes } from "./usage.js";
import { countTrainingRows } from "../../services/exports.js";
import { generatorRouteGroups } from "./generator-all.js";

export function extraRoutes(deps: Deps): ReturnType<typeof newRouter>[] {
  return [chatRoutes(deps), usageRoutes(deps), instructionRoutes(deps), roundRoutes(deps), battleImportRoutes(deps), battleRoutes(deps), leaderboardRoutes(deps), loopRoutes(deps), exportRoutes(deps), reportRoutes(deps, countTrainingRows), dashboardRoutes(deps), ...generatorRouteGroups(deps)];
}
