import { Command } from "commander";
import { openBus } from "../core/bus/mod.ts";
import { ensureJwtSecret, readProcessEnv, scrubProcessEnv } from "../core/config/mod.ts";
import type { Config } from "../core/config/mod.ts";
import { openMigratedDatabase, parseDbUrl } from "../core/db/mod.ts";
import type { Logger } from "../core/log/mod.ts";
import { printLine } from "../core/log/mod.ts";
import { swarmFiles } from "../core/swarm/swarm_files.ts";
import { Supervisor } from "../core/workers/mod.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { listOption } from "./parse_options.ts";
import { requireAgentSwarm } from "./require_agent_swarm.ts";
import { pathExists } from "./path_exists.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";
import { workerCodePaths } from "./worker_code_paths.ts";
import { workerEntryUrl } from "./worker_entry_url.ts";
import { buildWorkerRegistry, selectUpWorkers } from "./worker_registry.ts";

/** `decnet up [--only a,b] [--skip c]`: every enabled worker of DECNET_MODE in one process. */
export function upCommand(): Command {
  const names = buildWorkerRegistry().names();
  const modes = (["standalone", "master", "agent"] as const).map((m) =>
    `${m}: ${buildWorkerRegistry(m).names().join(", ")}`
  );
  return new Command("up")
    .description(
      "Run every worker of DECNET_MODE in one process, each as a Deno Worker with only the permissions its job needs",
    )
    .addHelpText(
      "after",
      `\nWorkers by DECNET_MODE:\n  ${modes.join("\n  ")}\n` +
        "master needs DECNET_SWARM_NATS_URL and DECNET_SWARM_NATS_CA; agent needs `decnet agent join` first\n" +
        "and reads no DECNET_DB_URL, DECNET_JWT_SECRET or DECNET_ADMIN_PASSWORD.",
    )
    .option(
      `--only <workers>`,
      `run only these workers of the mode (comma list of ${names.join(", ")})`,
      listOption(names),
    )
    .option(`--skip <workers>`, "run all of the mode's workers but these", listOption(names))
    .action(async (options: { only?: string[]; skip?: string[] }, command: Command) => {
      const loaded = configFor(command);
      const enabled = selectUpWorkers(loaded.mode, options);
      const env = readProcessEnv();
      scrubProcessEnv();
      const log = loggerFor(loaded, "up");
      const config = await prepareMode(loaded, log);
      const registry = buildWorkerRegistry(config.mode);
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
        entryUrl: (worker) => workerEntryUrl(worker, Deno.mainModule),
        codePaths: workerCodePaths(),
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
            bus,
          });
        }
        log.info("running", {
          mode: config.mode,
          workers: enabled.join(","),
          sniffer: config.sniffer ? "on" : "off",
        });
        const reason = await waitForShutdown();
        log.info("stopping", { reason });
      } finally {
        await sniffer?.[Symbol.asyncDispose]();
        await supervisor.close();
      }
    });
}

/**
 * Checks what the mode needs before any worker starts and returns the
 * configuration the supervisor holds. A master or standalone host gets its
 * JWT secret and a migrated database here (so workers need neither migration
 * rights nor write access for the secret); a master also its swarm's NATS
 * settings. An agent must have joined, and none of the control plane's
 * secrets is read, generated or handed on.
 */
async function prepareMode(config: Config, log: Logger): Promise<Config> {
  if (config.mode === "agent") {
    await requireAgentSwarm(config.home, "start as a swarm agent (DECNET_MODE=agent)");
    // A SQLite path is no credential; a server URL, the JWT secret and a password are.
    const ignored = [
      ["DECNET_DB_URL", parseDbUrl(config.dbUrl).engine !== "sqlite"],
      ["DECNET_JWT_SECRET", config.jwtSecret !== null],
      ["DECNET_ADMIN_PASSWORD", config.adminPassword !== null],
    ].filter(([, set]) => set).map(([name]) => name);
    if (ignored.length) {
      log.warn("ignored on a swarm agent, which holds no control plane secret", {
        variables: ignored.join(","),
      });
    }
    // The supervisor holds no database URL nor secret either: no worker could be handed one.
    return Object.freeze({ ...config, dbUrl: "", jwtSecret: null, adminPassword: null });
  }
  if (config.mode === "master") {
    const missing = [
      ["DECNET_SWARM_NATS_URL", config.swarmNatsUrl],
      ["DECNET_SWARM_NATS_CA", config.swarmNatsCa],
    ].filter(([, value]) => !value).map(([name]) => name);
    if (missing.length) {
      throw new CliError(
        `Cannot start as a swarm master (DECNET_MODE=master): ${
          missing.join(" and ")
        } must be set (the swarm's nats-server: tls://host:port and its CA's PEM file)`,
        EXIT_USAGE,
      );
    }
    // nats-server trusts the operator of this trust chain only: it must exist before the server.
    const { authority } = swarmFiles(config.home);
    if (!await pathExists(authority)) {
      throw new CliError(
        `Cannot start as a swarm master (DECNET_MODE=master): no ${authority}; run decnet swarm nats-config first and start nats-server with its configuration`,
        EXIT_USAGE,
      );
    }
    // Signed afresh from the chain, so its workers read only this file, never the chain's seeds.
    // Loaded here: the NATS signing libraries are a master's alone.
    const { writeMasterCreds } = await import("../core/swarm/master_creds_file.ts");
    await writeMasterCreds(config.home);
  }
  await ensureJwtSecret(config);
  await (await openMigratedDatabase(config.dbUrl)).close();
  return config;
}
