import { Command } from "commander";
import { reconcilerWorker } from "../core/fleet/reconciler_worker.ts";
import { printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { openCliFleetContext } from "./open_cli_fleet_context.ts";
import { intOption } from "./parse_options.ts";
import { runStandalone } from "./run_standalone.ts";

/** `decnet reconcile --once [--json]` or `decnet reconcile [--interval S]` (the worker alone). */
export function reconcileCommand(): Command {
  return new Command("reconcile")
    .description("Converge the state file, the database and Docker (once, or every interval)")
    .option("--once", "run one pass, print the counts and exit")
    .option(
      "--interval <seconds>",
      "seconds between passes (default DECNET_RECONCILE_INTERVAL)",
      intOption(1, 86_400),
    )
    .option("--json", "print the counts as JSON (with --once)")
    .action(
      async (options: { once?: boolean; interval?: number; json?: boolean }, command: Command) => {
        const config = configFor(command);
        if (!options.once) {
          if (options.json) throw new CliError("Cannot use --json without --once", EXIT_USAGE);
          const interval = options.interval ?? config.reconcileIntervalSeconds;
          return await runStandalone(reconcilerWorker, {
            ...config,
            reconcileIntervalSeconds: interval,
          });
        }
        if (options.interval !== undefined) {
          throw new CliError("Cannot use --interval with --once", EXIT_USAGE);
        }
        const { reconcileFleet } = await import("../core/fleet/reconcile_fleet.ts");
        await using context = await openCliFleetContext(config, "reconcile");
        const report = await reconcileFleet(context);
        if (options.json) {
          printLine(JSON.stringify({
            inserted: report.inserted,
            deleted: report.deleted,
            changed: report.changed,
            unchanged: report.unchanged,
            failed: report.failed,
            docker_reachable: report.dockerReachable,
            ...(report.error ? { error: report.error } : {}),
          }));
        } else {
          printLine(
            `inserted ${report.inserted}, deleted ${report.deleted}, changed ${report.changed}, ` +
              `unchanged ${report.unchanged}`,
          );
        }
        if (!report.dockerReachable) {
          throw new CliError(`Docker unreachable, nothing changed: ${report.error}`);
        }
        if (report.error) throw new CliError(`Reconcile did not run: ${report.error}`);
        if (report.failed) throw new CliError(`${report.failed} writes failed (see the log)`);
      },
    );
}
