import { join } from "node:path";

/** Options for {@linkcode warmBundleCache}. */
export interface WarmBundleCacheOptions {
  /** The Deno runtime the service runs (the release's lib/deno). */
  runtime: string;
  /** The bundle the service runs (the release's lib/decnet.js), at the path it runs from. */
  bundle: string;
  /** The service user's ids and home: Deno's cache is `<home>/.cache/deno`, as under systemd. */
  uid: number;
  gid: number;
  home: string;
  /** The program that drops to the user. @default "setpriv" */
  setpriv?: string;
}

/**
 * As root, runs `deno cache` of the installed bundle as the service user, so
 * that the service's first start finds the bundle's module analysis in its
 * cache: without it, that first start (after every install or upgrade)
 * analyses the modules in each of `decnet up`'s isolates and keeps ~100 MiB
 * more until it restarts (tests/bench/RESULTS.md, "Native memory"). Deno's
 * caches are keyed by the module's path, so `bundle` must be where the
 * service runs it. Creates `home` (0750, the user's) when missing, as
 * systemd's StateDirectory= would. Returns the line to print.
 *
 * @throws {Error} when the program cannot be started or `deno cache` fails, with its message
 * @example
 * ```ts
 * await warmBundleCache({
 *   runtime: "/opt/decnet/lib/deno", bundle: "/opt/decnet/lib/decnet.js",
 *   uid: 998, gid: 998, home: "/var/lib/decnet",
 * });
 * ```
 */
export async function warmBundleCache(options: WarmBundleCacheOptions): Promise<string> {
  const { runtime, bundle, uid, gid, home } = options;
  try {
    await Deno.mkdir(home, { mode: 0o750 });
    await Deno.chown(home, uid, gid);
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
  // setpriv, not Deno's own uid option: a process that may start the runtime may not write it,
  // and install replaces it.
  const setpriv = options.setpriv ?? "setpriv";
  const out = await new Deno.Command(setpriv, {
    args: [
      `--reuid=${uid}`,
      `--regid=${gid}`,
      "--clear-groups",
      "--",
      runtime,
      "cache",
      "--quiet",
      "--no-config",
      bundle,
    ],
    cwd: home,
    // What the unit gives the service: its home, and no runtime update check.
    env: {
      PATH: "/usr/bin:/bin",
      HOME: home,
      DENO_NO_UPDATE_CHECK: "1",
      DENO_NO_PROMPT: "1",
    },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`Cannot cache ${bundle} as uid ${uid} (exit ${out.code}): ${why}`);
  }
  return `cache    ${join(home, ".cache/deno")} (${bundle} analysed for the first start)`;
}
