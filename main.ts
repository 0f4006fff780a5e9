/**
 * decnet's entry point: argv -> cli.
 *
 * @module
 */
import { runCli } from "./cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
