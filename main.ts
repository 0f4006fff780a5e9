/**
 * decnet's entry point: argv -> cli. The same module is a Deno Worker's entry
 * where the worker has none of its own (cli/worker_entry_url.ts): `decnet up`
 * spawns it with the name `worker:<name>`, and {@linkcode runEntry} runs that
 * worker's job instead of the CLI.
 *
 * @module
 */
import { runEntry } from "./cli/run_entry.ts";

await runEntry(import.meta.main);
