// Light imports only: the job (database, channels) loads when the worker starts.
import { join } from "node:path";
import type { Config } from "../config/mod.ts";
import type { WorkerNeeds } from "../workers/worker_definition.ts";
import { defineWorker } from "../workers/worker_definition.ts";
import { ALERTS_CHANGED_TOPIC } from "./alerts_changed_topic.ts";

/** Days a delivered (or given-up) alert stays in the outbox, for the deliveries list. */
export const DELIVERY_RETENTION_DAYS = 30;

/** Where the alerts worker keeps what cannot wait in the database (the database-down alarm). */
export function alertsSpoolDir(home: string): string {
  return join(home, "alerts");
}

/**
 * The alerts worker. It turns stored events (canary triggers, attackers,
 * credentials, domain events; each table followed from a durable cursor)
 * and worker health from the bus into alerts by the operator's rules
 * (throttled, deduplicated, digested), forwards the event stream and the
 * audit log to the channels that take them, queues everything in the
 * outbox and delivers it to syslog, SMTP, webhooks and files, at least
 * once; it raises the database-down alarm from memory. It may reach only the
 * destinations of the stored channels: the supervisor reads them before
 * each spawn and re-spawns it when they change.
 */
export const alertsWorker = defineWorker({
  name: "alerts",
  description:
    "Sends alerts (syslog, SMTP, webhooks, files) by the alert rules, from a durable outbox",
  critical: false,
  configKeys: ["dbUrl", "home", "dashboardUrl", "alertsDisableAfter", "alertsRetryMaxSeconds"],
  needs: (config) => {
    const spool = alertsSpoolDir(config.home);
    return {
      listen: [],
      connect: [],
      database: true,
      docker: false,
      read: [spool],
      write: [spool],
    };
  },
  resolveNeeds: async (config: Config, needs: WorkerNeeds) => {
    const { openDatabase, createRepositories } = await import("../db/mod.ts");
    const { channelNeeds } = await import("./channel_needs.ts");
    const handle = await openDatabase(config.dbUrl);
    try {
      return channelNeeds(needs, await createRepositories(handle).alerts.listChannels());
    } finally {
      await handle.close();
    }
  },
  respawnOn: ALERTS_CHANGED_TOPIC,
  async start(config, context) {
    const { log, bus } = context;
    const { openDatabase, createRepositories, DatabaseProbe } = await import("../db/mod.ts");
    const { AlertIntake } = await import("./alert_intake.ts");
    const { alertSources } = await import("./alert_sources.ts");
    const { AlertDelivery } = await import("./alert_delivery.ts");
    const { DatabaseDownAlarm } = await import("./database_down_alarm.ts");
    const { enrichAlertEvent } = await import("./enrich_alert_event.ts");
    const { createChannel } = await import("./channels/factory.ts");
    const handle = await openDatabase(config.dbUrl);
    const repos = createRepositories(handle);
    const delivery = new AlertDelivery({
      repository: repos.alerts,
      openChannel: (config) => createChannel(config),
      log: log.child("delivery"),
      disableAfter: config.alertsDisableAfter,
      retry: { maxMs: config.alertsRetryMaxSeconds * 1000 },
    });
    const intake = new AlertIntake({
      repository: repos.alerts,
      bus,
      log,
      dashboardUrl: config.dashboardUrl,
      onQueued: () => delivery.wake(),
      enrich: (event) => enrichAlertEvent(event, repos),
      sources: alertSources(repos),
      peers: context.peers,
      // The supervisor rereads the channels itself and re-spawns this worker if its permissions change.
      onChannelsChanged: () => bus.publish(ALERTS_CHANGED_TOPIC, { at: new Date().toISOString() }),
    });
    await intake.start();
    // A test alert or a re-enabled channel is in the outbox: look now, not at the next idle tick.
    const wake = bus.subscribe(ALERTS_CHANGED_TOPIC, () => delivery.wake());
    delivery.start();
    const probe = new DatabaseProbe(handle.db);
    const alarm = new DatabaseDownAlarm({
      file: join(alertsSpoolDir(config.home), "database_down.json"),
      probe: () => probe.probe(),
      targets: () => intake.targets(),
      openChannel: (config) => createChannel(config),
      log: log.child("alarm"),
    });
    await alarm.start();
    const { startRetention } = await import("../attackers/start_retention.ts");
    const retention = startRetention({
      what: "alert deliveries",
      prune: async (o) =>
        await repos.alerts.pruneDeliveries(o) + await repos.alertSources.pruneDomainEvents(o),
      retentionDays: DELIVERY_RETENTION_DAYS,
      log,
    });
    return {
      extras: () => ({ ...intake.stats(), ...delivery.stats(), ...alarm.stats() }),
      close: async () => {
        wake.unsubscribe();
        await retention.close();
        await alarm.close();
        probe[Symbol.dispose]();
        await intake.close();
        await delivery.close();
        await handle.close();
      },
    };
  },
});
