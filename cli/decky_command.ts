import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { validateDeckyName } from "../core/fleet/validate_decky_name.ts";
import { configFor } from "./cli_context.ts";
import { CliError } from "./cli_error.ts";
import { openCliFleetContext } from "./open_cli_fleet_context.ts";
import { ruleOption } from "./parse_options.ts";

/** `decnet decky revert NAME [--json]`: operations on one decky. */
export function deckyCommand(): Command {
  const command = new Command("decky").description("Operate on one decky");
  command.addCommand(
    new Command("revert")
      .description(
        "Recreate a decky's containers from their images (as last deployed) and replant its baseline canaries",
      )
      .argument("<name>", "the decky", ruleOption(validateDeckyName))
      .option("--json", "print the result as JSON")
      .action(async (name: string, options: { json?: boolean }, sub: Command) => {
        const config = configFor(sub);
        const { revertDecky } = await import("../core/fleet/revert_decky.ts");
        await using context = await openCliFleetContext(config, "revert");
        const { baselinePersonas } = await import("../core/orchestrator/mod.ts");
        const { PersonaPool } = await import("../realism/mod.ts");
        const personas = baselinePersonas(
          new PersonaPool({ configuredPath: config.realismPersonas }),
        );
        const result = await revertDecky(name, context, {
          canary: context.repos ? { repos: context.repos, config, personas } : null,
          audit: context.audit,
        });
        printLine(
          options.json
            ? JSON.stringify(result)
            : `${result.name}: ${result.status} (${result.removed} containers recreated)`,
        );
        if (result.status === "absent") throw new CliError(`Cannot revert: no decky ${name}`);
        if (result.status === "failed") throw new CliError(`Revert failed: ${result.error}`);
      }),
  );
  return command;
}
