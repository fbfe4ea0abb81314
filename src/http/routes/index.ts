/**
 * Every route group of the app, in the order the app mounts them (that order is also the order of
 * the paths in /openapi.json). A new resource gets one file in this folder and one line here.
 */
import type { Deps } from "../../deps.js";
import type { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { battleImportRoutes } from "./battle-import.js";
import { battleRoutes } from "./battles.js";
import { decontamSetRoutes } from "./decontam-sets.js";
import { chatRoutes } from "./chat.js";
import { dashboardRoutes } from "./dashboard.js";
import { docsRoutes } from "./docs.js";
import { exportRoutes } from "./exports.js";
import { feedbackRoutes } from "./feedback.js";
import { generatorPersonaRoutes } from "./generator-personas.js";
import { generatorSeedRoutes } from "./generator-seeds.js";
import { generatorSimulationRoutes } from "./generator-simulations.js";
import { generatorRoutes } from "./generator.js";
import { healthRoutes } from "./health.js";
import { instructionRoutes } from "./instructions.js";
import { judgeTemplateRoutes } from "./judge-templates.js";
import { keyRoutes } from "./keys.js";
import { leaderboardRoutes } from "./leaderboard.js";
import { loopRoutes } from "./loops.js";
import { metricsRoutes } from "./metrics.js";
import { modelRoutes } from "./models.js";
import { reportRoutes } from "./reports.js";
import { reviewRoutes } from "./review.js";
import { roundRoutes } from "./rounds.js";
import { sessionRoutes } from "./session.js";
import { usageRoutes } from "./usage.js";

/** One route group: a router of related paths built from the dependencies. */
export type RouteGroup = (deps: Deps) => Hono<AppEnv>;

export const ROUTE_GROUPS: readonly RouteGroup[] = [
  healthRoutes,
  metricsRoutes,
  keyRoutes,
  sessionRoutes,
  modelRoutes,
  chatRoutes,
  usageRoutes,
  instructionRoutes,
  judgeTemplateRoutes,
  roundRoutes,
  reviewRoutes,
  battleImportRoutes,
  battleRoutes,
  leaderboardRoutes,
  loopRoutes,
  exportRoutes,
  reportRoutes,
  dashboardRoutes,
  generatorRoutes,
  generatorPersonaRoutes,
  generatorSimulationRoutes,
  generatorSeedRoutes,
  decontamSetRoutes,
  feedbackRoutes,
  docsRoutes,
];
