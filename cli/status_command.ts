import { Command } from "commander";
import type { DeckyView } from "../core/fleet/decky_view.ts";
import { printError, printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";
import { formatTable } from "./format_table.ts";
import { openCliFleetContext } from "./open_cli_fleet_context.ts";

/** `decnet status [--json]`: this host's deckies from the database (the state file if it is down). */
export function statusCommand(): Command {
  return new Command("status")
    .description("List this host's deckies: ip, services, state and since when")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = configFor(command);
      const { deckyView } = await import("../core/fleet/decky_view.ts");
      await using context = await openCliFleetContext(config, "status");
      let items: DeckyView[];
      try {
        items = (await context.fleet.list({ hostUuid: config.hostUuid })).map(deckyView);
      } catch (e) {
        printError(`Database unavailable (${(e as Error).message}); showing the state file`);
        items = (await context.stateFile.read()).map((d) =>
          deckyView({ ...d, hostUuid: config.hostUuid })
        );
      }
      if (options.json) return printLine(JSON.stringify({ items, total: items.length }));
      if (items.length === 0) return printLine("No deckies");
      const rows = items.map((d) => [
        d.name,
        d.ip ?? "-",
        d.services.join(","),
        d.state,
        d.state_since,
      ]);
      for (const line of formatTable(["DECKY", "IP", "SERVICES", "STATE", "SINCE"], rows)) {
        printLine(line);
      }
    });
}
