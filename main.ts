/**
 * decnet's entry point: argv -> cli. The same module is every Deno Worker's
 * entry too: `decnet up` spawns it with the name `worker:<name>`.
 *
 * @module
 */
import { runCli } from "./cli/mod.ts";
import { buildWorkerRegistry } from "./cli/worker_registry.ts";
import { isWorkerThread, runWorkerThread } from "./core/workers/mod.ts";

if (isWorkerThread()) {
  runWorkerThread(buildWorkerRegistry());
} else if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
