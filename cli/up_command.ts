import { Command } from "commander";
import { openBus } from "../core/bus/mod.ts";
import { ensureJwtSecret, readProcessEnv, scrubProcessEnv } from "../core/config/mod.ts";
import { openMigratedDatabase } from "../core/db/mod.ts";
import { printLine } from "../core/log/mod.ts";
import { Supervisor } from "../core/workers/mod.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { listOption } from "./parse_options.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";
import { buildWorkerRegistry } from "./worker_registry.ts";

/** `decnet up [--only a,b] [--skip c]`: every enabled worker in one process. */
export function upCommand(): Command {
  const names = buildWorkerRegistry().names();
  return new Command("up")
    .description(
      "Run every worker in one process, each as a Deno Worker with only the permissions its job needs",
    )
    .option(
      `--only <workers>`,
      `run only these workers (comma list of ${names.join(", ")})`,
      listOption(names),
    )
    .option(`--skip <workers>`, "run all but these workers", listOption(names))
    .action(async (options: { only?: string[]; skip?: string[] }, command: Command) => {
      if (options.only && options.skip) {
        throw new CliError("Use --only or --skip, not both", EXIT_USAGE);
      }
      const config = configFor(command);
      const env = readProcessEnv();
      scrubProcessEnv();
      const log = loggerFor(config, "up");
      const registry = buildWorkerRegistry();
      const enabled = registry.names().filter((n) =>
        (options.only ? options.only.includes(n) : true) && !(options.skip?.includes(n))
      );
      if (enabled.length === 0) throw new CliError("No worker left to run", EXIT_USAGE);
      // Done once here so workers need neither migration rights nor write access for the secret.
      await ensureJwtSecret(config);
      await (await openMigratedDatabase(config.dbUrl)).close();
      await using bus = openBus({
        busUrl: config.busUrl,
        name: "supervisor",
        // Workers are linked to this bus by MessagePort; no BroadcastChannel needed.
        broadcast: false,
        logger: log.child("bus"),
      });
      const supervisor = new Supervisor({
        config,
        registry,
        entryUrl: Deno.mainModule,
        enabled,
        bus,
        log: log.child("supervisor"),
        onBanner: (_worker, lines) => lines.forEach((l) => printLine(l)),
      });
      // A process of its own, not a Worker: it alone may use FFI (DECNET_SNIFFER=on).
      let sniffer: AsyncDisposable | undefined;
      try {
        await supervisor.start();
        if (config.sniffer) {
          const { startSnifferChild } = await import("../core/sniffer/start_sniffer_child.ts");
          sniffer = await startSnifferChild(config, {
            execPath: Deno.execPath(),
            mainModule: Deno.mainModule,
            env,
            log: log.child("sniffer"),
          });
        }
        log.info("running", { workers: enabled.join(","), sniffer: config.sniffer ? "on" : "off" });
        const reason = await waitForShutdown();
        log.info("stopping", { reason });
      } finally {
        await sniffer?.[Symbol.asyncDispose]();
        await supervisor.close();
      }
    });
}
