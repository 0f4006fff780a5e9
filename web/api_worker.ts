import { dirname, join } from "node:path";
import { personaPoolPaths } from "../realism/persona_pool_paths.ts";
import { stateFilePaths } from "../core/fleet/state_file_paths.ts";
import { WorkerHealthTracker } from "../core/workers/health_tracker.ts";
import type { Config } from "../core/config/mod.ts";
import { defineWorker } from "../core/workers/worker_definition.ts";
import { swarmFiles } from "../core/swarm/swarm_files.ts";

/**
 * The configuration fields the api worker reads: its address, the database
 * and JWT secret, the first admin, login and stream limits, Docker for
 * deploys and plants, and what plants and uploads need. Not the canary
 * listeners' settings, the orchestrator's or the LLM key.
 */
export const API_CONFIG_KEYS = [
  "home",
  "dbUrl",
  "hostUuid",
  "apiBind",
  "apiPort",
  "jwtSecret",
  "jwtTtlSeconds",
  "adminUser",
  "adminPassword",
  "sseMaxPerUser",
  "loginMaxAttempts",
  "loginWindowSeconds",
  "apiTrustedProxies",
  "apiTlsCert",
  "apiTlsKey",
  "swarmNatsUrl",
  "swarmNatsCa",
  "dockerHost",
  "canaryHttpBase",
  "canaryAllowLocal",
  "canaryDnsZone",
  "canaryBlobDir",
  "canaryMaxUpload",
  "canaryBaseline",
  "realismPersonas",
  "realismLlm",
  // Whether `decnet up` runs the sniffer, so the worker table may start and stop it.
  "sniffer",
] as const satisfies readonly (keyof Config)[];

/** What the api worker (and the web app it serves) reads of the configuration. */
export type ApiConfig = Pick<Config, typeof API_CONFIG_KEYS[number]>;

/**
 * The api worker: REST API, live streams and dashboard. Listens on
 * DECNET_API_BIND:DECNET_API_PORT, opens the database, reads the JWT secret,
 * and reaches Docker (deploys and plants from the API run the CLI's code).
 */
export const apiWorker = defineWorker({
  name: "api",
  description: "REST API, live event streams and the dashboard",
  critical: true,
  configKeys: API_CONFIG_KEYS,
  needs: (config) => {
    // Deploys and teardowns write the state file (a temporary file in its own directory, renamed).
    const state = stateFilePaths(config.home);
    return {
      listen: [{ hostname: config.apiBind, port: config.apiPort }],
      connect: [],
      database: true,
      // Deploys, plants and revokes from the API run the same code as the CLI.
      docker: true,
      // The canary blob store: uploads are written there and read back for plants and downloads.
      // PUT /api/v1/realism/personas writes the persona pool (temp file + rename in its directory).
      read: [
        join(config.home, "jwt_secret"),
        // Swarm joins: agents' users are signed with the account's signing key alone.
        swarmFiles(config.home).issuer,
        ...[config.apiTlsCert, config.apiTlsKey, config.swarmNatsCa].filter((p) => p !== null),
        state.path,
        state.tmpDir,
        config.canaryBlobDir,
        dirname(personaPoolPaths({ configuredPath: config.realismPersonas })[0]),
      ],
      write: [
        state.path,
        state.tmpDir,
        config.canaryBlobDir,
        dirname(personaPoolPaths({ configuredPath: config.realismPersonas })[0]),
      ],
    };
  },
  async start(config, { log, bus, peers }) {
    const { startApi } = await import("./start_api.ts");
    const tracker = new WorkerHealthTracker(bus, { expected: peers });
    try {
      const api = await startApi(config, {
        log,
        bus,
        workerHealth: () => tracker.snapshot(new Date()),
      });
      return {
        banner: [
          `API and dashboard listening on ${api.url}`,
          `Log in as "${config.adminUser}" at ${api.url}/ (or POST ${api.url}/api/v1/auth/login)`,
        ],
        extras: () => ({ url: api.url }),
        close: async () => {
          tracker[Symbol.dispose]();
          await api.close();
        },
      };
    } catch (e) {
      tracker[Symbol.dispose]();
      throw e;
    }
  },
});
