import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { formatTable } from "./format_table.ts";
import { openCliFleetContext } from "./open_cli_fleet_context.ts";
import { ruleOption } from "./parse_options.ts";
import { validateDeckyName } from "../core/fleet/validate_decky_name.ts";

// The fleet file's rule, so a name that cannot be a decky never reaches Docker.
const deckyName = ruleOption(validateDeckyName);

/** `decnet teardown --all | --name N [--name M] [--json]`. */
export function teardownCommand(): Command {
  return new Command("teardown")
    .description("Remove deckies: their containers, state-file entries and rows")
    .option("--all", "every decky of this host")
    .option(
      "--name <name...>",
      "the decky (repeatable)",
      // Commander hands a variadic option's parser the names so far.
      (raw: string, names: string[] = []) => [...names, deckyName(raw)],
    )
    .option("--json", "print the result as JSON")
    .action(
      async (options: { all?: boolean; name?: string[]; json?: boolean }, command: Command) => {
        if (!options.all === !options.name?.length) {
          throw new CliError("Cannot tear down: give either --all or --name N", EXIT_USAGE);
        }
        const config = configFor(command);
        const { teardownFleet } = await import("../core/fleet/teardown_fleet.ts");
        await using context = await openCliFleetContext(config, "teardown");
        const result = await teardownFleet(context, {
          all: options.all ?? false,
          names: options.name ?? [],
          audit: context.audit,
        });
        if (options.json) {
          printLine(JSON.stringify({
            items: result.results,
            total: result.results.length,
            networks_removed: result.networksRemoved,
            ...(result.error ? { error: result.error } : {}),
          }));
        } else {
          const rows = result.results.map((r) => [
            r.name,
            r.status,
            String(r.containers),
            r.error ?? "",
          ]);
          for (const line of formatTable(["DECKY", "RESULT", "CONTAINERS", "ERROR"], rows)) {
            printLine(line);
          }
          if (result.results.length === 0 && !result.error) printLine("Nothing to tear down");
          for (const n of result.networksRemoved) printLine(`Network ${n} removed`);
        }
        if (result.error) throw new CliError(`Teardown incomplete: ${result.error}`);
      },
    );
}
