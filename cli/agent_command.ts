import { resolve } from "node:path";
import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import {
  agentSubjects,
  connectSwarmNats,
  joinSwarm,
  parseJoinToken,
  parseMasterUrl,
  readAgentSwarm,
  serveAgentCommands,
  startAgentHeartbeat,
  swarmFiles,
} from "../core/swarm/mod.ts";
import { VERSION } from "../core/version.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";
import { ruleOption } from "./parse_options.ts";

/** `decnet agent join`: an agent host's side of a swarm. */
export function agentCommand(): Command {
  const agent = new Command("agent").description("Swarm agent: join a master");

  agent.command("join")
    .description(
      "Join a swarm master with the token `decnet swarm enroll` printed; stores this host's NATS credentials under <DECNET_HOME>/swarm/",
    )
    .argument("<url>", "the master's API, https://host[:port]", ruleOption(parseMasterUrl))
    .requiredOption("--token <token>", "the one-time join token", ruleOption(parseJoinToken))
    .option("--ca-file <file>", "PEM of a private CA that signed the master's HTTPS certificate")
    .option("--json", "print JSON")
    .action(
      async (
        url: URL,
        options: { token: { name: string; secret: string }; caFile?: string; json?: boolean },
        command: Command,
      ) => {
        const config = configFor(command);
        let caPem: string | undefined;
        if (options.caFile !== undefined) {
          try {
            caPem = await Deno.readTextFile(resolve(options.caFile));
          } catch (e) {
            if (!(e instanceof Deno.errors.NotFound)) throw e;
            throw new CliError(
              `Cannot read --ca-file ${resolve(options.caFile)}: no such file`,
              EXIT_USAGE,
            );
          }
        }
        const joined = await joinSwarm(url.href, {
          token: `${options.token.name}.${options.token.secret}`,
          home: config.home,
          version: VERSION,
          caPem,
        });
        if (options.json) {
          return printLine(JSON.stringify({
            name: joined.name,
            nats_url: joined.natsUrl,
            creds_file: joined.credsFile,
            ca_file: joined.caFile,
          }));
        }
        printLine(`Joined the swarm as ${joined.name}; NATS ${joined.natsUrl}`);
        printLine(`Credentials: ${joined.credsFile} (keep it private); CA: ${joined.caFile}`);
      },
    );
  agent.command("serve")
    .description(
      "Answer the swarm master's commands (deploy, teardown, plant, revoke, file, mail) on this host's Docker and send heartbeats, until SIGINT or SIGTERM; needs `decnet agent join` first",
    )
    .action(async (_options: unknown, command: Command) => {
      const config = configFor(command);
      const log = loggerFor(config, "agent");
      const joined = await readAgentSwarm(config.home);
      if (!joined) {
        throw new CliError(
          `Cannot serve: this host has not joined a swarm (no ${
            swarmFiles(config.home).agentInfo
          }): run decnet agent join first`,
          EXIT_USAGE,
        );
      }
      const { agentCommandHandlers, agentFleetRows, fleetContextFor } = await import(
        "../core/fleet/mod.ts"
      );
      const { openDocker } = await import("../core/docker/mod.ts");
      const nc = await connectSwarmNats({
        url: joined.natsUrl,
        caFile: joined.caFile,
        creds: joined.creds,
        name: `decnet-agent-${joined.name}`,
        inboxPrefix: agentSubjects(joined.name).inboxPrefix,
        reconnect: true,
      });
      await using docker = openDocker({ dockerHost: config.dockerHost });
      const now = () => new Date();
      const context = fleetContextFor(config, { docker, fleet: agentFleetRows(now), log, now });
      try {
        await using _server = serveAgentCommands(
          nc,
          joined.name,
          agentCommandHandlers(context, { name: joined.name }),
          { log: log.child("commands") },
        );
        // After the subscription: a master that hears the first beat can already command it.
        using _beat = startAgentHeartbeat(nc, joined.name, { version: VERSION });
        log.info("serving the master's commands", { host: joined.name, nats: joined.natsUrl });
        const reason = await waitForShutdown();
        log.info("stopping", { reason });
      } finally {
        await nc.close();
      }
    });
  return agent;
}
