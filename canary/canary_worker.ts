import { controlTopic } from "../core/bus/topics.ts";
import { canarySpoolPaths } from "../core/journal/spool_paths.ts";
import { defineWorker } from "../core/workers/worker_definition.ts";

/** A journal loss asks for a heartbeat at most this often (health shows it without waiting 30 s). */
const LOSS_REPORT_MS = 2000;

/**
 * The canary worker: attacker-facing HTTP and authoritative DNS listeners.
 * It holds no secret and never opens the database: it looks slugs up in
 * the active tokens snapshot and journals triggers, both in its own spool
 * (the only place it reads or writes), which the collector worker ingests.
 * Its DNS listener answers any peer over UDP, which needs unrestricted net
 * access; there is nothing on this host it could read to use it for.
 */
export const canaryWorker = defineWorker({
  name: "canary",
  description: "Attacker-facing canary HTTP (/c/<slug>) and authoritative DNS listeners",
  critical: false,
  // No database URL, no secret: the listeners' settings and where their spool is.
  configKeys: [
    "home",
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
    "canaryJournalMaxBytes",
  ],
  needs: (config) => {
    const spool = canarySpoolPaths(config.home).dir;
    return {
      listen: [
        { hostname: config.canaryHttpBind, port: config.canaryHttpPort },
        {
          hostname: config.canaryDnsBind,
          port: config.canaryDnsPort,
          anyPeer: config.canaryDnsZone !== "",
        },
      ],
      connect: [],
      database: false,
      docker: false,
      read: [spool],
      write: [spool],
    };
  },
  async start(config, { log, bus }) {
    // Loaded here so the attacker-facing worker carries only its own code.
    const { JournalWriter } = await import("../core/journal/journal_writer.ts");
    const { startCanaryListeners } = await import("./receiver/start_canary_listeners.ts");
    const { ActiveTokenSnapshot } = await import("./receiver/active_token_snapshot.ts");
    const { JournalTriggerSink } = await import("./receiver/journal_trigger_sink.ts");
    const spool = canarySpoolPaths(config.home);
    // A loss asks for a heartbeat now, then at most every LOSS_REPORT_MS while losses go on.
    let lastReport = -Infinity;
    let reportTimer: ReturnType<typeof setTimeout> | undefined;
    const report = () => {
      reportTimer = undefined;
      lastReport = performance.now();
      bus.publish(controlTopic("canary"), { action: "report", at: new Date().toISOString() });
    };
    const journal = await JournalWriter.open(spool.journalDir, {
      maxBytes: config.canaryJournalMaxBytes,
      log,
      onLoss: () => {
        if (reportTimer !== undefined) return;
        const wait = Math.max(0, lastReport + LOSS_REPORT_MS - performance.now());
        reportTimer = setTimeout(report, wait);
      },
    });
    const tokens = await ActiveTokenSnapshot.open(spool.tokensFile, { log });
    try {
      const sink = new JournalTriggerSink(journal, tokens);
      // Lookups are answered from the snapshot in memory: caching them would only delay a new token.
      const listeners = await startCanaryListeners(config, { sink, log, cacheTtlMs: 0 });
      const banner = [`Canary HTTP listening on ${listeners.http.hostname}:${listeners.http.port}`];
      if (listeners.dns) {
        banner.push(
          `Canary DNS listening on ${listeners.dns.hostname}:${listeners.dns.port} (UDP+TCP) for ${config.canaryDnsZone}`,
        );
      }
      if (tokens.loadedAt === null) {
        // Usual on a first start: the collector writes the first snapshot within a second.
        log.info(
          "no active tokens snapshot yet: every slug is unknown until the collector writes one",
        );
      }
      return {
        banner,
        extras: () => {
          const j = journal.stats();
          return {
            http_port: listeners.http.port,
            dns_port: listeners.dns?.port ?? null,
            dns_zone: config.canaryDnsZone || null,
            active_tokens: tokens.size,
            journal_committed: j.committed,
            journal_lost: j.lost,
            journal_bytes: j.bytes,
            journal_full: j.full,
          };
        },
        close: async () => {
          await listeners.close();
          clearTimeout(reportTimer);
          await tokens.close();
          await journal.close();
        },
      };
    } catch (e) {
      clearTimeout(reportTimer);
      await tokens.close();
      await journal.close();
      throw e;
    }
  },
});
