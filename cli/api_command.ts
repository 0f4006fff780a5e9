import { Command } from "commander";
import { apiWorker } from "../web/api_worker.ts";
import { configFor } from "./cli_context.ts";
import { runStandalone } from "./run_standalone.ts";

/** `decnet api`: the REST API and dashboard on their own. */
export function apiCommand(): Command {
  return new Command("api")
    .description("Run the REST API and dashboard alone (DECNET_API_BIND / DECNET_API_PORT)")
    .action(async (_options: unknown, command: Command) => {
      await runStandalone(apiWorker, configFor(command));
    });
}
