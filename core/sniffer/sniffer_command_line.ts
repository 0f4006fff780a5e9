import { dirname, join } from "node:path";
import { snifferSpoolPaths } from "./sniffer_spool_paths.ts";

/** The runtime's own variables the child keeps (its module cache); decnet's never reach it. */
const RUNTIME_VARIABLES = ["DENO_DIR", "HOME", "XDG_CACHE_HOME", "NO_COLOR"];

/** Options for {@linkcode snifferCommandLine}. */
export interface SnifferCommandLineOptions {
  /** The Deno runtime (`Deno.execPath()`). */
  execPath: string;
  /** decnet's entry module (`Deno.mainModule`): main.ts from source, or the bundle. */
  mainModule: string;
  home: string;
  logLevel: string;
  /** libpcap and libc, absolute: the only files the process may load through FFI. */
  libpcap: string;
  libc: string;
  /** This process's environment: only the runtime's own variables (its module cache) are kept. */
  env?: Record<string, string>;
  /** The active prober's settings, passed on as DECNET_PROBER_*; absent or null: off. */
  prober?: { allow: readonly string[]; ports: readonly number[]; ratePerMinute: number } | null;
}

/** How to start the sniffer process: argv, a cleared environment and its working directory. */
export interface SnifferCommandLine {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * The command line of the sniffer child of `decnet up`: the same entry
 * module under the Deno runtime with only what its job needs: FFI to
 * libpcap and libc, read of its module, libraries and targets file, write
 * of its journal and status directories, the interface list; no network, no
 * subprocess, and an environment holding only DECNET_HOME, the log
 * level and the prober's settings (so no secret can reach it). A compiled binary cannot be given
 * other permissions than its own, so it is refused.
 *
 * @throws {TypeError} when decnet runs as a compiled binary or not from a file
 * @example
 * ```ts
 * const line = snifferCommandLine({
 *   execPath: "/usr/bin/deno", mainModule: "file:///opt/decnet/decnet.js", home: "/var/lib/decnet",
 *   logLevel: "info", libpcap: "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
 *   libc: "/usr/lib/x86_64-linux-gnu/libc.so.6",
 * });
 * new Deno.Command(line.command, { args: line.args, env: line.env, clearEnv: true, cwd: line.cwd });
 * ```
 */
export function snifferCommandLine(options: SnifferCommandLineOptions): SnifferCommandLine {
  if (!options.mainModule.startsWith("file:")) {
    throw new TypeError(
      `Cannot start the sniffer: expected decnet to run from a file, got "${options.mainModule}"`,
    );
  }
  const module = decodeURIComponent(new URL(options.mainModule).pathname);
  if (module.includes("/deno-compile-")) {
    throw new TypeError(
      "Cannot start the sniffer from a compiled binary: its permissions are fixed at compile time; run the bundle (deno task build) with the Deno runtime, or the decnet-sniffer unit",
    );
  }
  const paths = snifferSpoolPaths(options.home);
  // From source the import map is in deno.json beside main.ts; a bundle needs none.
  const config = module.endsWith(".ts") ? ["--config", join(dirname(module), "deno.json")] : [];
  return {
    command: options.execPath,
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      ...config,
      `--allow-ffi=${options.libpcap},${options.libc}`,
      `--allow-read=${
        [
          module,
          options.libpcap,
          options.libc,
          paths.targetsFile,
          paths.journalDir,
          paths.statusDir,
          "/dev/null",
        ]
          .join(",")
      }`,
      `--allow-write=${paths.journalDir},${paths.statusDir}`,
      "--allow-sys=networkInterfaces",
      // Only the variables below exist in its environment (cleared): reading them all is harmless.
      "--allow-env",
      module,
      "sniffer",
      // Its stdin is a pipe from the parent: when the parent dies, even by SIGKILL, it stops.
      "--stop-on-stdin-eof",
    ],
    env: {
      ...Object.fromEntries(
        RUNTIME_VARIABLES.flatMap((k) => options.env?.[k] ? [[k, options.env[k]]] : []),
      ),
      DECNET_HOME: options.home,
      DECNET_LOG_LEVEL: options.logLevel,
      DECNET_SNIFFER_LIBPCAP: options.libpcap,
      ...(options.prober
        ? {
          DECNET_PROBER: "on",
          DECNET_PROBER_ALLOW: options.prober.allow.join(","),
          DECNET_PROBER_PORTS: options.prober.ports.join(","),
          DECNET_PROBER_RATE: String(options.prober.ratePerMinute),
        }
        : {}),
      // No env file: the one beside the working directory may hold secrets.
      DECNET_ENV_FILE: "/dev/null",
    },
    cwd: paths.journalDir,
  };
}
