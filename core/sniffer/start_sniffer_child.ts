import type { Bus } from "../bus/mod.ts";
import type { Config } from "../config/mod.ts";
import type { Logger } from "../log/mod.ts";
import { findLibrary, LIBC_NAME, LIBPCAP_NAME } from "./libpcap.ts";
import { snifferCommandLine } from "./sniffer_command_line.ts";
import { snifferProberConfig } from "./sniffer_prober_config.ts";
import { SnifferProcess } from "./sniffer_process.ts";
import { snifferSpoolPaths } from "./sniffer_spool_paths.ts";

/** Options for {@linkcode startSnifferChild}. */
export interface StartSnifferChildOptions {
  execPath: string;
  mainModule: string;
  /** This process's environment; only the runtime's cache variables are passed on. */
  env: Record<string, string>;
  log: Logger;
  /** The bus whose `system.sniffer.control` start/stop requests the child obeys. */
  bus?: Bus;
}

/**
 * Starts the sniffer child of `decnet up` (DECNET_SNIFFER=on): finds
 * libpcap and libc, makes its spool, spawns it with
 * {@linkcode snifferCommandLine}'s permissions and keeps it running (or
 * stopped, while the worker table's control asks so).
 *
 * @throws {TypeError} when libpcap is not found, decnet is a compiled binary or may not run the runtime
 * @example
 * ```ts
 * import type { Config } from "../config/mod.ts";
 * import type { Logger } from "../log/mod.ts";
 * import { startSnifferChild } from "./start_sniffer_child.ts";
 * declare const config: Config;
 * declare const log: Logger;
 * await using sniffer = await startSnifferChild(config, {
 *   execPath: Deno.execPath(), mainModule: Deno.mainModule, env: {}, log,
 * });
 * ```
 */
export async function startSnifferChild(
  config: Config,
  options: StartSnifferChildOptions,
): Promise<SnifferProcess> {
  const libpcap = config.snifferLibpcap ?? findLibrary(LIBPCAP_NAME);
  const libc = findLibrary(LIBC_NAME);
  if (!libpcap || !libc) {
    throw new TypeError(
      `Cannot start the sniffer: ${
        libpcap ? LIBC_NAME : LIBPCAP_NAME
      } not found (install Debian's libpcap0.8, or set DECNET_SNIFFER_LIBPCAP)`,
    );
  }
  if (Deno.permissions.querySync({ name: "run", command: options.execPath }).state !== "granted") {
    throw new TypeError(
      `Cannot start the sniffer: decnet up needs --allow-run=${options.execPath} to start it (./decnet grants it)`,
    );
  }
  const line = snifferCommandLine({
    execPath: options.execPath,
    mainModule: options.mainModule,
    home: config.home,
    logLevel: config.logLevel,
    libpcap,
    libc,
    env: options.env,
    prober: snifferProberConfig(config),
  });
  await Deno.mkdir(snifferSpoolPaths(config.home).journalDir, { recursive: true, mode: 0o700 });
  const child = new SnifferProcess({ line, log: options.log, bus: options.bus });
  child.start();
  return child;
}
