import { Command } from "commander";
import { describeConfig } from "../core/config/mod.ts";
import { printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";

/** `decnet config show [--json]`: the resolved configuration, secrets masked. */
export function configCommand(): Command {
  const config = new Command("config").description("Inspect the resolved configuration");
  config.command("show")
    .description("Print every DECNET_* setting as resolved (secrets masked)")
    .option("--json", "print one JSON object")
    .action((options: { json?: boolean }, command: Command) => {
      const resolved = configFor(command);
      const rows = describeConfig(resolved);
      if (options.json) {
        printLine(JSON.stringify(Object.fromEntries(rows.map((r) => [r.variable, r.value]))));
        return;
      }
      if (resolved.envFile) printLine(`# env file: ${resolved.envFile}`);
      for (const row of rows) printLine(`${row.variable}=${row.value}`);
    });
  return config;
}
