/** Every generator route group (runs, personas, simulations, seeds, benchmarks and cleaning, feedback), for the app's route list. */
import type { Deps } from "../../deps.js";
import type { newRouter } from "../openapi.js";
import { benchmarkRoutes } from "./benchmarks.js";
import { feedbackRoutes } from "./feedback.js";
import { generatorRoutes } from "./generator.js";
import { generatorPersonaRoutes } from "./generator-personas.js";
import { generatorSeedRoutes } from "./generator-seeds.js";
import { generatorSimulationRoutes } from "./generator-simulations.js";

export function generatorRouteGroups(deps: Deps): ReturnType<typeof newRouter>[] {
  return [generatorRoutes(deps), generatorPersonaRoutes(deps), generatorSimulationRoutes(deps), generatorSeedRoutes(deps), benchmarkRoutes(deps), feedbackRoutes(deps)];
}
