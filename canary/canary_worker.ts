import { idleWorker } from "../core/workers/idle_worker.ts";

/**
 * The canary worker: attacker-facing HTTP and authoritative DNS listeners.
 * Listens on its two addresses and reaches the database; no Docker, no
 * processes.
 */
export const canaryWorker = idleWorker({
  name: "canary",
  description: "Attacker-facing canary HTTP (/c/<slug>) and authoritative DNS listeners",
  needs: (config) => ({
    listen: [
      { hostname: config.canaryHttpBind, port: config.canaryHttpPort },
      { hostname: config.canaryDnsBind, port: config.canaryDnsPort },
    ],
    connect: [],
    database: true,
    docker: false,
    read: [],
    write: [],
  }),
});
