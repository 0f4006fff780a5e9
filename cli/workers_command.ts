import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";
import { buildWorkerRegistry } from "./worker_registry.ts";

/** `decnet workers list [--json]`: the known workers and what each may touch. */
export function workersCommand(): Command {
  const workers = new Command("workers").description("Inspect decnet's workers");
  workers.command("list")
    .description(
      "List the workers `decnet up` runs in this DECNET_MODE, with what each listens on and may reach",
    )
    .option("--json", "print JSON")
    .action((options: { json?: boolean }, command: Command) => {
      const config = configFor(command);
      const items = buildWorkerRegistry(config.mode).list().map((w) => {
        const needs = w.needs(config);
        return {
          name: w.name,
          description: w.description,
          critical: w.critical,
          listens: needs.listen.map((l) => `${l.hostname}:${l.port}`),
          docker: needs.docker,
          database: needs.database,
        };
      });
      if (options.json) {
        return printLine(JSON.stringify({ mode: config.mode, items, total: items.length }));
      }
      for (const w of items) {
        const reach = [
          w.listens.length ? `listens ${w.listens.join(" ")}` : "listens on nothing",
          w.docker ? "docker" : "no docker",
          w.database ? "database" : "no database",
        ];
        printLine(`${w.name.padEnd(17)} ${w.description}\n${"".padEnd(17)} ${reach.join("; ")}`);
      }
    });
  return workers;
}
