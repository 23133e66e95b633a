/** Hono context types shared by the route modules. */
import type { Config, Env } from "./env";

export type AppEnv = { Bindings: Env; Variables: { config: Config } };
