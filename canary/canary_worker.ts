import { defineWorker } from "../core/workers/worker_definition.ts";

/**
 * The canary worker: attacker-facing HTTP and authoritative DNS listeners.
 * Listens on its two addresses and reaches the database; no Docker, no
 * processes.
 */
export const canaryWorker = defineWorker({
  name: "canary",
  description: "Attacker-facing canary HTTP (/c/<slug>) and authoritative DNS listeners",
  critical: false,
  configKeys: [
    "dbUrl",
    "canaryHttpBind",
    "canaryHttpPort",
    "canaryServerHeader",
    "canaryTrustedProxies",
    "canaryDnsBind",
    "canaryDnsPort",
    "canaryDnsZone",
    "canaryDnsSinkhole",
    "canaryDnsTtl",
    "canaryDnsDedupeSeconds",
    "canaryDnsNsAddress",
    "canaryDnsRate",
    "canaryTriggerRate",
    "canaryTriggerCap",
    "canaryTriggerRetentionDays",
  ],
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
  async start(config, { log, bus }) {
    // Loaded here so the attacker-facing worker carries only its own code.
    const { createRepositories, openDatabase } = await import("../core/db/mod.ts");
    const { startCanaryListeners } = await import("./receiver/mod.ts");
    const { RepositoryTriggerSink } = await import("./repository_trigger_sink.ts");
    const { startTriggerRetention } = await import("./start_trigger_retention.ts");
    const handle = await openDatabase(config.dbUrl);
    try {
      const repos = createRepositories(handle, {
        triggerRollup: {
          ratePerMinute: config.canaryTriggerRate,
          capPerMinute: config.canaryTriggerCap,
        },
      });
      const sink = new RepositoryTriggerSink(repos.canary, bus);
      const listeners = await startCanaryListeners(config, { sink, log });
      // TODO(#12): moves to the worker that ingests the trigger journal.
      const retention = startTriggerRetention({
        repo: repos.canary,
        retentionDays: config.canaryTriggerRetentionDays,
        log: log.child("retention"),
      });
      const banner = [`Canary HTTP listening on ${listeners.http.hostname}:${listeners.http.port}`];
      if (listeners.dns) {
        banner.push(
          `Canary DNS listening on ${listeners.dns.hostname}:${listeners.dns.port} (UDP+TCP) for ${config.canaryDnsZone}`,
        );
      }
      return {
        banner,
        extras: () => ({
          http_port: listeners.http.port,
          dns_port: listeners.dns?.port ?? null,
          dns_zone: config.canaryDnsZone || null,
        }),
        close: async () => {
          await retention.close();
          await listeners.close();
          await handle.close();
        },
      };
    } catch (e) {
      await handle.close();
      throw e;
    }
  },
});
