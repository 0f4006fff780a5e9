/**
 * Runs `build` (the steps that make a network, a server's files...); when a
 * step fails, runs `cleanup` and rethrows, so nothing half-made stays behind.
 * Returns the `close()` of what was built: it runs `cleanup` once, however
 * often it is called.
 *
 * @example
 * ```ts
 * import { mustRunIp, runIp } from "./run_ip.ts";
 * import { buildOrCleanUp } from "./build_or_clean_up.ts";
 * const close = await buildOrCleanUp(
 *   () => mustRunIp(["netns", "add", "dnt7"]),
 *   async () => void await runIp(["netns", "del", "dnt7"]),
 * );
 * ```
 */
export async function buildOrCleanUp(
  build: () => Promise<void>,
  cleanup: () => Promise<void>,
): Promise<() => Promise<void>> {
  try {
    await build();
  } catch (e) {
    await cleanup();
    throw e;
  }
  let closed: Promise<void> | undefined;
  return () => closed ??= cleanup();
}
