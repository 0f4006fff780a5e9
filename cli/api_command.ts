import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { startApi } from "../web/mod.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";

/** `decnet api`: the REST API and dashboard on their own. */
export function apiCommand(): Command {
  return new Command("api")
    .description("Run the REST API and dashboard alone (DECNET_API_BIND / DECNET_API_PORT)")
    .action(async (_options: unknown, command: Command) => {
      const config = configFor(command);
      const log = loggerFor(config, "api");
      await using api = await startApi(config, { log });
      printLine(
        `API listening on ${api.url} (log in at ${api.url}/ or POST ${api.url}/api/v1/auth/login)`,
      );
      const reason = await waitForShutdown();
      log.info("stopping", { reason });
    });
}
