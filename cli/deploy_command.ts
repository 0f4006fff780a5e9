import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";
import { CliError } from "./cli_error.ts";
import { readFleetSpec } from "./read_fleet_spec.ts";
import { formatTable } from "./format_table.ts";
import { openCliFleetContext } from "./open_cli_fleet_context.ts";
import { ruleOption } from "./parse_options.ts";
import { validateInterfaceName } from "../core/fleet/validate_interface_name.ts";
import { type AgentDeployResult, deployOnAgents, requestAgentCommand } from "../core/swarm/mod.ts";
import type { AgentCommandRequest } from "../core/orchestrator/agent_decky_ops.ts";
import type { AgentBaselineResult } from "../core/fleet/seed_agent_baseline.ts";
import { connectMasterSwarm } from "./connect_master_swarm.ts";

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
        await using context = await openCliFleetContext(config, "deploy");
        // Without the database a `host` is only checked for its form; the agent checks the rest.
        const hosts = context.repos
          ? (await context.repos.swarmHosts.list())
            .filter((h) => h.enrolled_at !== null && h.revoked_at === null)
            .map((h) => h.name)
          : undefined;
        const { spec: whole, text } = await readFleetSpec(options.config, {
          ...(options.interface === undefined ? {} : { interface: options.interface }),
          hosts,
        });
        const { fleetSpecForHost, swarmHostsOf } = await import("../core/fleet/mod.ts");
        const agents = swarmHostsOf(whole);
        const spec = fleetSpecForHost(whole, null);
        const { baselinePersonas } = await import("../core/orchestrator/mod.ts");
        const { PersonaPool } = await import("../realism/mod.ts");
        const personas = baselinePersonas(
          new PersonaPool({ configuredPath: config.realismPersonas }),
        );
        const { remote, baseline } = await deployOnSwarm(config, text, agents, {
          dryRun: options.dryRun ?? false,
          // Bait on the agents' deckies: the master issues and keeps the tokens.
          seed: context.repos
            ? async (request, results) => {
              const { seedAgentBaseline } = await import("../core/fleet/seed_agent_baseline.ts");
              return await seedAgentBaseline(request, results, {
                docker: context.docker,
                repos: context.repos!,
                bus: context.bus,
                log: context.log.child("planter"),
                now: context.now,
                config,
                personas,
                spec: whole,
              });
            }
            : null,
        });
        for (const a of options.dryRun ? [] : remote) {
          await context.audit?.({
            action: "fleet.deployed",
            target: a.results.map((r) => r.name).join(",") || a.host,
            outcome: a.error ? "failure" : "success",
            detail: {
              host: a.host,
              deckies: a.results.map((r) => ({ name: r.name, status: r.status })),
              ...(a.error ? { error: a.error } : {}),
            },
          });
        }
        const local = spec.deckies.length > 0 || agents.length === 0
          ? await deployAndSeed(spec, context, {
            dryRun: options.dryRun ?? false,
            canary: context.repos ? { repos: context.repos, config, personas } : null,
            audit: context.audit,
          })
          : undefined;
        const network = local?.network ??
          { name: whole.network.name, driver: whole.network.driver, status: "remote" };
        const items = [
          ...(local?.results ?? []).map((r) => ({ ...r, host: null })),
          ...remote.flatMap((a) => a.results.map((r) => ({ ...r, host: a.host }))),
        ];
        const errors = [local?.error, ...remote.map((a) => a.error)].filter((e) => e);
        const result = {
          network,
          results: items,
          ...(errors.length ? { error: errors.join("; ") } : {}),
        };
        if (options.json) {
          printLine(JSON.stringify({
            network: result.network,
            items: result.results,
            total: result.results.length,
            ...(baseline.length ? { baseline } : {}),
            ...(result.error ? { error: result.error } : {}),
          }));
        } else {
          printLine(
            `Network ${result.network.name} (${result.network.driver}): ${result.network.status}`,
          );
          for (const a of remote) if (a.error) printLine(a.error);
          const rows = result.results.map((r) => [
            r.name,
            r.host ?? "-",
            r.status,
            r.ip ?? "-",
            options.dryRun ? r.containers.join(",") : r.error ?? r.containers.join(","),
          ]);
          for (const line of formatTable(["DECKY", "HOST", "RESULT", "IP", "CONTAINERS"], rows)) {
            printLine(line);
          }
          for (const b of baseline) {
            for (const r of b.results) {
              if (r.status === "failed" || r.status === "error") {
                printLine(`Baseline ${r.generator} on ${b.decky} (${b.host}): ${r.error}`);
              }
            }
          }
        }
        if (result.error) throw new CliError(`Deploy incomplete: ${result.error}`);
      },
    );
}

/**
 * Sends the fleet file to the swarm agents it names (none: nothing to do, no
 * connection), then, unless a dry run, has `seed` plant the baseline on what
 * came up.
 */
async function deployOnSwarm(
  config: Parameters<typeof connectMasterSwarm>[0],
  text: string,
  hosts: string[],
  options: {
    dryRun: boolean;
    seed:
      | ((
        request: AgentCommandRequest,
        results: AgentDeployResult[],
      ) => Promise<AgentBaselineResult[]>)
      | null;
  },
): Promise<{ remote: AgentDeployResult[]; baseline: AgentBaselineResult[] }> {
  if (hosts.length === 0) return { remote: [], baseline: [] };
  const nc = await connectMasterSwarm(config, `deploy on swarm hosts ${hosts.join(", ")}`);
  try {
    const remote = await deployOnAgents(nc, text, { hosts, dryRun: options.dryRun });
    const baseline = options.seed && !options.dryRun
      ? await options.seed((h, v, a, o) => requestAgentCommand(nc, h, v, a, o), remote)
      : [];
    return { remote, baseline };
  } finally {
    await nc.close();
  }
}
