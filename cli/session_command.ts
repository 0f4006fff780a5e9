import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { validateDeckyName } from "../core/fleet/validate_decky_name.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { ruleOption } from "./parse_options.ts";

/** `decnet session kill SESSION --decky NAME [--json]`: live attacker sessions on sensors. */
export function sessionCommand(): Command {
  const command = new Command("session").description("Act on live sessions on deckies' sensors");
  command.addCommand(
    new Command("kill")
      .description(
        "End a live session on a decky's sensor (the session id of its events); the sensor records it as killed",
      )
      .argument("<session>", "the session id")
      .requiredOption(
        "--decky <name>",
        "the decky whose sensor holds it",
        ruleOption(validateDeckyName),
      )
      .option("--json", "print the result as JSON")
      .action(async (session: string, options: { decky: string; json?: boolean }, sub: Command) => {
        const config = configFor(sub);
        const { killSession } = await import("../core/fleet/kill_session.ts");
        const { openDocker } = await import("../core/docker/mod.ts");
        await using docker = openDocker({ dockerHost: config.dockerHost });
        let result;
        try {
          result = await killSession(options.decky, session, {
            docker,
            hostUuid: config.hostUuid,
            log: loggerFor(config, "session"),
          });
        } catch (e) {
          if (e instanceof TypeError) throw new CliError(e.message, EXIT_USAGE);
          throw e;
        }
        printLine(
          options.json
            ? JSON.stringify(result)
            : `${result.decky} ${result.session}: ${result.status}`,
        );
        if (result.status === "absent") {
          throw new CliError(`Cannot kill session: no running sensor on decky ${options.decky}`);
        }
        if (result.status === "failed") throw new CliError(`Kill failed: ${result.error}`);
      }),
  );
  return command;
}
