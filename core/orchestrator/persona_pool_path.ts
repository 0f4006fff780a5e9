import type { Config } from "../config/mod.ts";
import { SYSTEM_PERSONAS_PATH } from "../../realism/mod.ts";

/**
 * The global persona pool file workers read and the API writes:
 * DECNET_REALISM_PERSONAS, else /etc/decnet/email_personas.json.
 * (Workers have no environment, so the ~/.decnet fallback of the CLI is not
 * searched; set DECNET_REALISM_PERSONAS to use another file.)
 */
export function personaPoolPath(config: Pick<Config, "realismPersonas">): string {
  return config.realismPersonas ?? SYSTEM_PERSONAS_PATH;
}
