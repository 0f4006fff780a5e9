import type { Config } from "../config/config.ts";
import type { SnifferProberConfig } from "./run_sniffer.ts";

/**
 * The active prober's settings from the configuration, or null when
 * DECNET_PROBER is off.
 *
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * declare const config: Config;
 * snifferProberConfig(config)?.ports; // [22, 80, 443] by default, when on
 * ```
 */
export function snifferProberConfig(
  config: Pick<Config, "prober" | "proberAllow" | "proberPorts" | "proberRate">,
): SnifferProberConfig | null {
  return config.prober
    ? { allow: config.proberAllow, ports: config.proberPorts, ratePerMinute: config.proberRate }
    : null;
}
