import type { Config } from "./config.ts";
import { CONFIG_VARIABLES } from "./config_variables.ts";
import { maskDbUrl } from "./mask_db_url.ts";

/** One row of `decnet config show`. */
export interface ConfigRow {
  variable: string;
  value: string;
  secret: boolean;
}

/**
 * The resolved configuration as rows for display, secrets masked (URLs keep
 * everything but their password).
 *
 * @example
 * ```ts
 * import type { Config } from "./config.ts";
 * import { describeConfig } from "./describe_config.ts";
 * import { printLine } from "../log/print.ts";
 * declare const config: Config;
 * for (const row of describeConfig(config)) printLine(`${row.variable}=${row.value}`);
 * ```
 */
export function describeConfig(config: Config): ConfigRow[] {
  return CONFIG_VARIABLES.map((variable) => {
    const value: unknown = config[variable.key];
    let shown = value === null ? "" : Array.isArray(value) ? value.join(",") : String(value);
    if (variable.secret && shown !== "") {
      shown = /^\w+:\/\//.test(shown) ? maskDbUrl(shown) : "********";
    }
    return { variable: variable.name, value: shown, secret: variable.secret ?? false };
  });
}
