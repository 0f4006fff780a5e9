import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { startApi } from "../web/mod.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";

/** `decnet up`: every enabled worker in one process. */
export function upCommand(): Command {
  return new Command("up")
    .description(
      "Run every worker in one process (API and dashboard, canary listeners, orchestrator, reconciler)",
    )
    .action(async (_options: unknown, command: Command) => {
      const config = configFor(command);
      const log = loggerFor(config, "up");
      await using api = await startApi(config, { log: log.child("api") });
      printLine(`API and dashboard listening on ${api.url}`);
      printLine(
        `Log in as "${config.adminUser}" (POST ${api.url}/api/v1/auth/login); add users with: decnet user add NAME --role viewer`,
      );
      const reason = await waitForShutdown();
      log.info("stopping", { reason });
    });
}
