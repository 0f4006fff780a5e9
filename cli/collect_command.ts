import { Command } from "commander";
import { collectorWorker } from "../core/attackers/collector_worker.ts";
import { configFor } from "./cli_context.ts";
import { runStandalone } from "./run_standalone.ts";

/** `decnet collect`: the collector worker alone (the systemd-per-worker layout). */
export function collectCommand(): Command {
  return new Command("collect")
    .description(
      "Run the collector alone: stores the canary trigger journal and refreshes the listeners' tokens",
    )
    .action(async (_options: unknown, command: Command) => {
      await runStandalone(collectorWorker, configFor(command));
    });
}
