import { resolve } from "node:path";
import { Command } from "commander";
import { parseDurationSeconds } from "../core/config/value_parsers.ts";
import { printError, printLine } from "../core/log/mod.ts";
import {
  DEFAULT_JOIN_TTL_SECONDS,
  enrollSwarmHost,
  ensureSwarmAuthority,
  MAX_JOIN_TTL_SECONDS,
  parseSwarmHostName,
  pushAccountJwt,
  removeHostFleet,
  renderNatsConfig,
  revokeSwarmHost,
  signAuthorityJwts,
  SwarmEnrollError,
  swarmFiles,
  swarmHostView,
  writeMasterCreds,
} from "../core/swarm/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { openCliBus } from "./open_cli_bus.ts";
import { formatTable } from "./format_table.ts";
import { ruleOption } from "./parse_options.ts";
import { withAuditedRepos } from "./with_audited_repos.ts";

const LISTEN_REGEXP = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

function parseListen(raw: string): string {
  const m = LISTEN_REGEXP.exec(raw);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw new SyntaxError("expected host:port, e.g. 0.0.0.0:4222");
  }
  return raw;
}

function parseTtl(raw: string): number {
  return parseDurationSeconds(raw, 60, MAX_JOIN_TTL_SECONDS);
}

async function readableFile(path: string, flag: string): Promise<string> {
  const full = resolve(path);
  try {
    if ((await Deno.stat(full)).isFile) return full;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied)) throw e;
  }
  throw new CliError(`Cannot read ${flag} ${full}: not a readable file`, EXIT_USAGE);
}

/**
 * `decnet swarm nats-config|enroll|hosts|revoke`: the master's side of a
 * swarm (nats-server's configuration, agents' join tokens, revocation).
 */
export function swarmCommand(): Command {
  const swarm = new Command("swarm").description(
    "Swarm master: nats-server configuration, enrolling and revoking agent hosts",
  );

  swarm.command("nats-config")
    .description(
      "Print nats-server's configuration for this master's trust chain (created under <DECNET_HOME>/swarm/ the first time) and write the master user's credentials (swarm/master.creds)",
    )
    .requiredOption("--cert <file>", "PEM certificate (chain) nats-server presents")
    .requiredOption("--key <file>", "its private key")
    .option("--listen <host:port>", "client address", ruleOption(parseListen), "0.0.0.0:4222")
    .option("--data-dir <dir>", "nats-server's account JWTs and JetStream store")
    .option("-o, --output <file>", "write to this file instead of standard output")
    .action(
      async (
        options: { cert: string; key: string; listen: string; dataDir?: string; output?: string },
        command: Command,
      ) => {
        const config = configFor(command);
        const certFile = await readableFile(options.cert, "--cert");
        const keyFile = await readableFile(options.key, "--key");
        const { authority, created } = await ensureSwarmAuthority(config.home);
        // The master's workers read their own credentials, never the chain's seeds.
        await writeMasterCreds(config.home);
        const revocations = await withAuditedRepos(
          command,
          (repos) => repos.swarmHosts.revocations(),
        );
        const jwts = await signAuthorityJwts(authority, { revocations });
        const text = renderNatsConfig(jwts, {
          listen: options.listen,
          certFile,
          keyFile,
          dataDir: resolve(options.dataDir ?? `${swarmFiles(config.home).dir}/nats`),
        });
        if (created) printError(`Created the swarm's keys in ${swarmFiles(config.home).dir}`);
        if (!options.output) return printLine(text.trimEnd());
        await Deno.writeTextFile(resolve(options.output), text);
        printError(`Wrote ${resolve(options.output)}`);
      },
    );

  swarm.command("enroll")
    .description("Enroll an agent host: print a one-time join token (only its hash is stored)")
    .argument(
      "<name>",
      "the host's name: 1-63 lowercase letters, digits or dashes",
      ruleOption(parseSwarmHostName),
    )
    .option(
      "--ttl <duration>",
      `how long the token works, e.g. 15m or 24h (default ${
        DEFAULT_JOIN_TTL_SECONDS / 60
      }m, at most 7d)`,
      ruleOption(parseTtl),
    )
    .option("--json", "print JSON (the token in `token`)")
    .action(async (name: string, options: { ttl?: number; json?: boolean }, command: Command) => {
      const now = new Date();
      const result = await withAuditedRepos(command, async ({ swarmHosts }, audit) => {
        try {
          const enrolled = await enrollSwarmHost(swarmHosts, name, {
            ttlSeconds: options.ttl,
            now,
            random: (b) => crypto.getRandomValues(b),
          });
          await audit({
            action: "swarm_host.enrolled",
            target: name,
            outcome: "success",
            detail: { expires_at: enrolled.expiresAt.toISOString() },
          });
          return enrolled;
        } catch (e) {
          if (!(e instanceof SwarmEnrollError)) throw e;
          throw new CliError(e.message);
        }
      });
      const view = swarmHostView(result.row, now);
      if (options.json) return printLine(JSON.stringify({ ...view, token: result.token }));
      printLine(
        `Enrolled ${name}; its join token works once, until ${result.expiresAt.toISOString()}:`,
      );
      printLine(result.token);
      printLine(`On the agent: decnet agent join https://<this master>:<api port> --token <token>`);
    });

  swarm.command("hosts")
    .description("List the swarm's hosts (never a token)")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const now = new Date();
      const rows = await withAuditedRepos(command, ({ swarmHosts }) => swarmHosts.list());
      const views = rows.map((r) => swarmHostView(r, now));
      if (options.json) return printLine(JSON.stringify({ items: views, total: views.length }));
      const table = views.map((h) => [
        h.name,
        h.state,
        h.enrolled_at ?? "-",
        h.last_heartbeat ?? "never",
        h.version ?? "-",
        h.revoked_at ?? "-",
      ]);
      for (
        const line of formatTable(
          ["NAME", "STATE", "ENROLLED", "LAST HEARTBEAT", "VERSION", "REVOKED"],
          table,
        )
      ) printLine(line);
    });

  swarm.command("revoke")
    .description(
      "Revoke a host: its NATS credentials stop working at once (the update is pushed to the running nats-server)",
    )
    .argument("<name>", "the host's name", ruleOption(parseSwarmHostName))
    .option("--json", "print JSON")
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const config = configFor(command);
      const { authority } = await ensureSwarmAuthority(config.home);
      const result = await withAuditedRepos(command, async (repos, audit) => {
        const { swarmHosts } = repos;
        if (!(await swarmHosts.get(name))) {
          throw new CliError(`Cannot revoke ${name}: no such swarm host (see decnet swarm hosts)`);
        }
        const revoked = await revokeSwarmHost(swarmHosts, authority, name, {
          push: async (accountJwt, jwts) => {
            if (!config.swarmNatsUrl || !config.swarmNatsCa) {
              throw new Error("DECNET_SWARM_NATS_URL and DECNET_SWARM_NATS_CA are not set");
            }
            await pushAccountJwt(accountJwt, {
              url: config.swarmNatsUrl,
              caFile: config.swarmNatsCa,
              systemUserCreds: jwts.systemUserCreds,
            });
          },
        });
        // Its deckies leave the Fleet page and the orchestrator's view (applyFleetState ignores
        // its snapshots from now on).
        const log = loggerFor(config, "swarm");
        const bus = await openCliBus(config, { name: "swarm-revoke", log });
        try {
          await removeHostFleet({ repos, bus, log }, name, new Date());
        } finally {
          await bus?.close();
        }
        await audit({
          action: "swarm_host.revoked",
          target: name,
          outcome: revoked.pushError ? "failure" : "success",
          detail: { pushed: !revoked.pushError },
        });
        return revoked;
      });
      const view = swarmHostView(result.row, new Date());
      if (options.json) {
        printLine(JSON.stringify({ ...view, pushed: !result.pushError }));
      } else {
        printLine(`Revoked ${name}${result.newlyRevoked ? "" : " (it was revoked before)"}`);
      }
      if (result.pushError) {
        throw new CliError(
          `Revocation of ${name} is stored but nats-server was not told (${result.pushError}); run decnet swarm revoke ${name} again once it is reachable`,
        );
      }
    });

  return swarm;
}
