import type { Config } from "../config/mod.ts";
import type { Logger } from "../log/mod.ts";
import { findLibrary, LIBC_NAME, LIBPCAP_NAME } from "./libpcap.ts";
import { snifferCommandLine } from "./sniffer_command_line.ts";
import { SnifferProcess } from "./sniffer_process.ts";
import { snifferSpoolPaths } from "./sniffer_spool_paths.ts";

/** The runtime's own variables the child keeps (its module cache); decnet's never reach it. */
const RUNTIME_VARIABLES = ["DENO_DIR", "HOME", "XDG_CACHE_HOME", "NO_COLOR"];

/** Options for {@linkcode startSnifferChild}. */
export interface StartSnifferChildOptions {
  execPath: string;
  mainModule: string;
  /** This process's environment; only the runtime's cache variables are passed on. */
  env: Record<string, string>;
  log: Logger;
}

/**
 * Starts the sniffer child of `decnet up` (DECNET_SNIFFER=on): finds
 * libpcap and libc, makes its spool, spawns it with
 * {@linkcode snifferCommandLine}'s permissions and keeps it running.
 *
 * @throws {TypeError} when libpcap is not found or decnet is a compiled binary
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
  const line = snifferCommandLine({
    execPath: options.execPath,
    mainModule: options.mainModule,
    home: config.home,
    logLevel: config.logLevel,
    libpcap,
    libc,
    runtimeEnv: Object.fromEntries(
      RUNTIME_VARIABLES.flatMap((k) => options.env[k] ? [[k, options.env[k]]] : []),
    ),
  });
  await Deno.mkdir(snifferSpoolPaths(config.home).journalDir, { recursive: true, mode: 0o700 });
  const child = new SnifferProcess({ line, log: options.log });
  child.start();
  return child;
}
