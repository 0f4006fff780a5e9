import { resolve } from "node:path";
import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { joinSwarm, parseJoinToken, parseMasterUrl } from "../core/swarm/mod.ts";
import { VERSION } from "../core/version.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { configFor } from "./cli_context.ts";
import { requireAgentSwarm } from "./require_agent_swarm.ts";
import { runStandalone } from "./run_standalone.ts";
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
      await requireAgentSwarm(config.home, "serve");
      // The same worker `decnet up` runs with DECNET_MODE=agent, alone in this process.
      const { agentWorker } = await import("../core/swarm/agent_worker.ts");
      await runStandalone(agentWorker, config);
    });
  return agent;
}
