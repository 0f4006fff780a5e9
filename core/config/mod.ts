/**
 * Configuration: every DECNET_* variable, parsed and validated once into a
 * frozen {@linkcode Config}. The only module that reads the environment.
 *
 * @module
 */
export { CANARY_GENERATORS } from "./config.ts";
export type { CanaryGeneratorName, Config, DecnetMode } from "./config.ts";
export { ConfigError } from "./config_error.ts";
export type { ConfigIssue } from "./config_error.ts";
export {
  CONFIG_VARIABLES,
  DEFAULT_API_BIND,
  DEFAULT_API_PORT,
  DEFAULT_CANARY_DNS_PORT,
  DEFAULT_CANARY_HTTP_PORT,
  DEFAULT_JWT_TTL_SECONDS,
} from "./config_variables.ts";
export type { ConfigVariable } from "./config_variables.ts";
export { ENV_FILE_VARIABLE, loadConfig } from "./load_config.ts";
export type { LoadConfigOptions } from "./load_config.ts";
export { ensureJwtSecret } from "./ensure_jwt_secret.ts";
export { describeConfig } from "./describe_config.ts";
export { maskDbUrl } from "./mask_db_url.ts";
export { parseDnsZone, parseHttpBase } from "./value_parsers.ts";
export type { ConfigRow } from "./describe_config.ts";
export { readProcessEnv } from "./read_process_env.ts";
export { scrubProcessEnv } from "./scrub_process_env.ts";
