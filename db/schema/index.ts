/** The whole drizzle schema, one object for `drizzle({ schema })`. */
export * from "./core.js";
export * from "./arena.js";
export * from "./loop.js";
export * from "./generator.js";
export * from "./budget.js";
export * from "./judge-templates.js";
export * from "./batch.js";
