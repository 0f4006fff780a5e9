// Light on purpose: a Deno Worker of `decnet up` runs main.ts, hence this module,
// where it has no entry of its own (a single-file bundle, a compiled binary: see
// worker_entry_url.ts). Imports stay dynamic so such a Worker runs only the
// registry (each definition from its own file) and its own job, never the CLI.
import { isWorkerThread } from "../core/workers/worker_thread_name.ts";

/**
 * What main.ts runs: inside one of decnet's Workers (`worker:<name>`), that
 * worker's job; as the main module, the CLI on `Deno.args` (then exits with
 * its code); imported by anything else, nothing.
 *
 * @param isMain `import.meta.main` of the entry module
 * @example
 * ```ts
 * await runEntry(import.meta.main);
 * ```
 */
export async function runEntry(isMain: boolean): Promise<void> {
  if ((globalThis as { name?: unknown }).name === "sensor") {
    // The sensor's Worker (SENSOR_WORKER_NAME): it serves the decoy protocols and loads nothing else.
    const { runSensorWorkerThread } = await import("../core/sensor/sensor_worker_thread.ts");
    runSensorWorkerThread();
  } else if (isWorkerThread()) {
    const { runWorkerThread } = await import("../core/workers/worker_thread.ts");
    const { buildWorkerRegistry } = await import("./worker_registry.ts");
    runWorkerThread(buildWorkerRegistry());
  } else if (isMain && servesSensor(Deno.args)) {
    // A decky's sensor container: the sensor alone, without the CLI's other commands.
    const { runSensorCli } = await import("./run_sensor_cli.ts");
    Deno.exit(await runSensorCli(Deno.args));
  } else if (isMain) {
    const { runCli } = await import("./run_cli.ts");
    Deno.exit(await runCli(Deno.args));
  }
}

/** `decnet sensor` serving (not `sensor image`, nor help, which the full CLI shows whole). */
function servesSensor(args: string[]): boolean {
  return args[0] === "sensor" && !args.some((a) => ["image", "help", "--help", "-h"].includes(a));
}
