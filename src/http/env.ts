/** Hono context variables shared by middleware and handlers. */
import type { Logger } from "../logger.js";
import type { Scope } from "../services/keys.js";

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** The authenticated key, or null in local mode. */
    principal: { keyId: string; name: string; scopes: Scope[] } | null;
  };
}
