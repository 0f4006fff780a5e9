import type { BusMessage, CampaignEvent } from "../bus/mod.ts";
import {
  attackerTopic,
  auditTopic,
  campaignTopic,
  canaryTopic,
  deckyStateTopic,
  serviceEventTopic,
  TOPIC_PATTERNS,
} from "../bus/mod.ts";
// The view files themselves, not the folders' mod.ts: the alerts worker's thread loads only these
// (the attackers folder's mod.ts would load the collector and its dependencies too).
import type { AuditAction } from "../audit/audit_actions.ts";
import { auditView } from "../audit/audit_view.ts";
import { attackerView, credentialEvent, serviceEventView } from "../attackers/attacker_views.ts";
import type { AlertSourcesRepository, CanaryRepository, DomainEventRecord } from "../db/mod.ts";

/** Which records of a source go to the channels that take a feed (besides the rules). */
export type AlertFeed = "event_stream" | "audit_log";

/** One stored row of a source, as the bus message it stands for. */
export interface AlertSourceRow {
  /** The row's id: the source's cursor moves to it once the row is handled. */
  position: number;
  /** Undefined for a row that stands for no message (it still moves the cursor). */
  message?: BusMessage;
}

/**
 * A stored table the alerts worker follows by id from a durable cursor
 * (`alert_cursors`), so a restart, a kill or a bus outage loses no row and
 * handles none twice. Bus messages on `wakeOn` only say new rows may be there.
 */
export interface AlertSource {
  /** Its `alert_cursors` stream. */
  stream: string;
  /** Bus patterns whose messages mean new rows. */
  wakeOn: readonly string[];
  /** Its rows are evaluated against the alert rules. */
  rules: boolean;
  /** Its rows are also forwarded to the channels that take this feed. */
  feed?: AlertFeed;
  /** Up to `limit` rows after `position`, oldest first. */
  after(position: number, limit: number): Promise<AlertSourceRow[]>;
  /** The newest row's id (0 when none): where a first start begins. */
  newest(): Promise<number>;
}

/** What {@linkcode alertSources} reads from. */
export interface AlertSourceRepositories {
  canary: Pick<CanaryRepository, "listTriggersForStream">;
  alertSources: AlertSourcesRepository;
}

/**
 * The stored streams the alerts worker follows: canary triggers, new
 * attackers (first contact), new credentials, domain events (campaigns,
 * decky states), and for the feeds service events, TCP fingerprints and
 * the audit log.
 *
 * @example
 * ```ts
 * import type { Repositories } from "../db/mod.ts";
 * import { alertSources } from "./alert_sources.ts";
 * declare const repos: Repositories;
 * alertSources(repos).map((s) => s.stream); // ["canary_triggers", "attackers", ...]
 * ```
 */
export function alertSources(repos: AlertSourceRepositories): AlertSource[] {
  const stored = repos.alertSources;
  return [
    {
      stream: "canary_triggers",
      wakeOn: [TOPIC_PATTERNS.canaryTriggered],
      rules: true,
      feed: "event_stream",
      after: async (id, limit) =>
        (await repos.canary.listTriggersForStream({ afterId: id, limit })).map((t) => ({
          position: t.id,
          message: {
            topic: canaryTopic(t.token_uuid, "triggered"),
            payload: { ...t, event: "triggered" as const },
          },
        })),
      newest: () => stored.newestId("canary_triggers"),
    },
    {
      stream: "attackers",
      wakeOn: ["attacker.*.observed"],
      rules: true,
      after: async (id, limit) =>
        (await stored.attackersAfter(id, limit)).map((a) => ({
          position: a.id,
          message: { topic: attackerTopic(a.id, "observed"), payload: attackerView(a) },
        })),
      newest: () => stored.newestId("attackers"),
    },
    {
      stream: "credentials",
      wakeOn: ["attacker.*.credential"],
      rules: true,
      after: async (id, limit) =>
        (await stored.credentialsAfter(id, limit)).map(({ credential, attacker_id }) => ({
          position: Number(credential.id),
          // Stored with its attacker in one batch: an address without an attacker record is benign.
          message: attacker_id === null ? undefined : {
            topic: attackerTopic(attacker_id, "credential"),
            payload: credentialEvent(credential, attacker_id),
          },
        })),
      newest: () => stored.newestId("credentials"),
    },
    {
      stream: "domain_events",
      wakeOn: [TOPIC_PATTERNS.deckyState, TOPIC_PATTERNS.campaign],
      rules: true,
      feed: "event_stream",
      after: async (id, limit) =>
        (await stored.domainEventsAfter(id, limit)).map((e) => ({
          position: e.id,
          message: domainMessage(e),
        })),
      newest: () => stored.newestId("domain_events"),
    },
    {
      stream: "service_events",
      wakeOn: [TOPIC_PATTERNS.serviceEvent],
      rules: false,
      feed: "event_stream",
      after: async (id, limit) =>
        (await stored.serviceEventsAfter(id, limit)).map((row) => ({
          position: Number(row.id),
          message: {
            topic: serviceEventTopic(row.decky, row.service),
            payload: serviceEventView(row),
          },
        })),
      newest: () => stored.newestId("service_events"),
    },
    {
      stream: "tcp_fingerprints",
      wakeOn: ["attacker.*.tcp_fingerprint"],
      rules: false,
      feed: "event_stream",
      after: async (id, limit) =>
        (await stored.tcpFingerprintsAfter(id, limit)).map((row) => ({
          position: row.id,
          message: {
            topic: attackerTopic(row.attacker_id, "tcp_fingerprint"),
            payload: { ...row.event, attacker_id: row.attacker_id } as BusMessage["payload"],
          },
        })),
      newest: () => stored.newestId("tcp_fingerprints"),
    },
    {
      stream: "audit_log",
      wakeOn: [TOPIC_PATTERNS.audit],
      rules: false,
      feed: "audit_log",
      after: async (id, limit) =>
        (await stored.auditAfter(id, limit)).map((row) => ({
          position: Number(row.id),
          message: { topic: auditTopic(row.action as AuditAction), payload: auditView(row) },
        })),
      newest: () => stored.newestId("audit_log"),
    },
  ];
}

/** A stored domain event as the bus message its producer published (with its time). */
function domainMessage(e: DomainEventRecord): BusMessage {
  const payload = { at: e.occurred_at, ...e.payload } as BusMessage["payload"];
  if (e.kind === "decky_state") {
    return {
      topic: deckyStateTopic(String(e.payload.host_uuid), String(e.payload.decky)),
      payload,
    };
  }
  const event = e.kind.slice("campaign_".length) as CampaignEvent;
  return { topic: campaignTopic(String(e.payload.id ?? e.payload.campaign_id), event), payload };
}
