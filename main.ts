/**
 * decnet's entry point: argv -> cli. The same module is every Deno Worker's
 * entry too: `decnet up` spawns it with the name `worker:<name>`. Imports
 * are dynamic so a worker loads only its own job's code (and the libraries
 * it needs), not the whole CLI.
 *
 * @module
 */
import { isWorkerThread } from "./core/workers/worker_thread_name.ts";

if (isWorkerThread()) {
  const { runWorkerThread } = await import("./core/workers/worker_thread.ts");
  const { buildWorkerRegistry } = await import("./cli/worker_registry.ts");
  runWorkerThread(buildWorkerRegistry());
} else if (import.meta.main) {
  const { runCli } = await import("./cli/mod.ts");
  Deno.exit(await runCli(Deno.args));
}
