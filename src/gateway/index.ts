/**
 * The provider gateway's public surface: `createGateway`, structured output, the response-cache
 * key and in-memory cache, and the shared types.
 */
export type * from "./types.js";
export { createGateway, GATEWAY_DEFAULTS, type GatewayDefaults, type GatewayOptions } from "./gateway.js";
export {
  chatJson,
  extractJson,
  jsonSchemaOf,
  parseStructured,
  type ChatJsonOptions,
  type ChatJsonSuccess,
} from "./structured-output.js";
export { keepAliveFetch } from "./http-fetch.js";
export { cacheKey, canonicalJson, MemoryCache, type CacheKeyInput } from "./cache-key.js";
export { callCostUsd } from "./cost.js";
export { LimiterRegistry, ModelLimiter, SHARED_LIMITERS, type LimiterClock, type LimiterLimits } from "./limiter.js";
export { backoffDelayMs, parseRetryAfterMs } from "./retry-policy.js";
