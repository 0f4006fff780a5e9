import { Command } from "commander";
import { clustererWorker } from "../core/campaigns/clusterer_worker.ts";
import { configFor } from "./cli_context.ts";
import { runStandalone } from "./run_standalone.ts";

/** `decnet clusterer`: the clusterer worker alone (the systemd-per-worker layout). */
export function clustererCommand(): Command {
  return new Command("clusterer")
    .description(
      "Run the clusterer alone: attacker records into identities and campaigns, at start, on new evidence (over a shared bus) and every minute",
    )
    .action(async (_options: unknown, command: Command) => {
      await runStandalone(clustererWorker, configFor(command));
    });
}
