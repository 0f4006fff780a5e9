import { join } from "node:path";
import { WorkerHealthTracker } from "../core/workers/health_tracker.ts";
import type { WorkerDefinition } from "../core/workers/worker_definition.ts";

/**
 * The api worker: REST API, live streams and dashboard. Listens on
 * DECNET_API_BIND:DECNET_API_PORT, opens the database, reads the JWT secret,
 * and reaches Docker (deploys and plants from the API run the CLI's code).
 */
export const apiWorker: WorkerDefinition = {
  name: "api",
  description: "REST API, live event streams and the dashboard",
  critical: true,
  needs: (config) => ({
    listen: [{ hostname: config.apiBind, port: config.apiPort }],
    connect: [],
    database: true,
    docker: true,
    // The canary blob store: uploads are written there and read back for plants and downloads.
    read: [join(config.home, "jwt_secret"), config.canaryBlobDir],
    write: [config.canaryBlobDir],
  }),
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
};
