import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";
import { CliError } from "./cli_error.ts";
import { readFleetSpec } from "./read_fleet_spec.ts";
import { formatTable } from "./format_table.ts";
import { openCliFleetContext } from "./open_cli_fleet_context.ts";
import { ruleOption } from "./parse_options.ts";
import { validateInterfaceName } from "../core/fleet/validate_interface_name.ts";

/** `decnet deploy --config fleet.ini [--dry-run] [--interface IF] [--json]`. */
export function deployCommand(): Command {
  return new Command("deploy")
    .description("Deploy the deckies of a fleet file (idempotent; re-run to resume)")
    .requiredOption("--config <path>", "fleet file (INI, see deploy/fleet.example.ini)")
    .option("--dry-run", "print the plan without touching Docker or any record")
    .option(
      "--interface <name>",
      "host interface for macvlan/ipvlan (overrides the file)",
      ruleOption(validateInterfaceName),
    )
    .option("--json", "print the result as JSON")
    .action(
      async (
        options: { config: string; dryRun?: boolean; interface?: string; json?: boolean },
        command: Command,
      ) => {
        const config = configFor(command);
        const { deployAndSeed } = await import("../core/fleet/deploy_and_seed.ts");
        const spec = await readFleetSpec(options.config, options.interface);
        await using context = await openCliFleetContext(config, "deploy");
        const { baselinePersonas } = await import("../core/orchestrator/mod.ts");
        const { PersonaPool } = await import("../realism/mod.ts");
        const personas = baselinePersonas(
          new PersonaPool({ configuredPath: config.realismPersonas }),
        );
        const result = await deployAndSeed(spec, context, {
          dryRun: options.dryRun ?? false,
          canary: context.repos ? { repos: context.repos, config, personas } : null,
          audit: context.audit,
        });
        if (options.json) {
          printLine(JSON.stringify({
            network: result.network,
            items: result.results,
            total: result.results.length,
            ...(result.error ? { error: result.error } : {}),
          }));
        } else {
          printLine(
            `Network ${result.network.name} (${result.network.driver}): ${result.network.status}`,
          );
          const rows = result.results.map((r) => [
            r.name,
            r.status,
            r.ip ?? "-",
            options.dryRun ? r.containers.join(",") : r.error ?? r.containers.join(","),
          ]);
          for (const line of formatTable(["DECKY", "RESULT", "IP", "CONTAINERS"], rows)) {
            printLine(line);
          }
        }
        if (result.error) throw new CliError(`Deploy incomplete: ${result.error}`);
      },
    );
}
