import type {
  AttackerPayload,
  BusMessage,
  CanaryTriggeredPayload,
  CredentialPayload,
  DeckyStatePayload,
  HealthPayload,
} from "../bus/mod.ts";
import { parseTopic } from "../bus/mod.ts";
import type { AlertEvent } from "./alert_event.ts";

/** Options for {@linkcode alertEventOf}. */
export interface AlertEventOfOptions {
  /** The dashboard's base URL (DECNET_DASHBOARD_URL) for links; none when empty. */
  dashboardUrl: string;
}

/** Decky states that mean it failed or went away without an operator asking. */
const DECKY_FAILURE_STATES = new Set(["failed", "torn_down"]);

/**
 * The alert event a bus message stands for, or undefined when it stands for
 * none (a decky that came up, a healthy worker, a topic of no interest).
 *
 * @example
 * ```ts
 * import { alertEventOf } from "./alert_event_of.ts";
 * const event = alertEventOf(
 *   { topic: "system.collector.health", payload: { worker: "collector", status: "failing", state: "restarting", at: "2026-12-01T10:00:00.000Z", uptime_seconds: 0, restarts: 3, last_error: "boom" } },
 *   { dashboardUrl: "" },
 * );
 * event?.kind; // "worker_unhealthy"
 * ```
 */
export function alertEventOf(
  message: BusMessage,
  options: AlertEventOfOptions,
): AlertEvent | undefined {
  const link = (path: string) =>
    options.dashboardUrl ? `${options.dashboardUrl.replace(/\/+$/, "")}${path}` : undefined;
  const parsed = parseTopic(message.topic);
  if (parsed?.family === "campaign" && parsed.event !== "unmerged") {
    return campaignEvent(parsed.id, parsed.event, message.payload, link);
  }
  if (parsed?.family === "canary" && parsed.event === "triggered") {
    const t = message.payload as CanaryTriggeredPayload;
    const decky = t.decky_name ?? undefined;
    const what = t.channel === "dns" ? `DNS name ${t.dns_qname}` : `${t.method} ${t.request_path}`;
    const hits = t.hit_count > 1 ? ` (${t.hit_count} hits)` : "";
    return {
      kind: "canary_triggered",
      occurred_at: t.last_at ?? t.occurred_at,
      filter: { token: t.token_uuid, decky, kind: t.token_kind },
      keys: { token: t.token_uuid, source: t.src_ip, decky },
      content: {
        title: `Canary token triggered${decky ? ` on ${decky}` : ""}`,
        summary:
          `The ${t.token_kind} token ${t.token_uuid} was used from ${t.src_ip}: ${what}${hits}`,
        token: { uuid: t.token_uuid, kind: t.token_kind, ...(decky ? { decky } : {}) },
        ...(decky ? { decky } : {}),
        src_ip: t.src_ip,
        ...(t.user_agent ? { user_agent: t.user_agent } : {}),
        ...(t.channel === "http" && t.method ? { request_method: t.method } : {}),
        ...(t.channel === "http" && t.request_path ? { request_path: t.request_path } : {}),
        ...(t.dns_qname ? { dns_name: t.dns_qname } : {}),
        ...optional("dashboard_url", link(`/canary/${encodeURIComponent(t.token_uuid)}`)),
      },
    };
  }
  if (parsed?.family === "attacker" && parsed.event === "observed") {
    const a = message.payload as AttackerPayload;
    const url = link(`/attackers/${a.id}`);
    return {
      kind: "first_contact",
      occurred_at: a.first_seen,
      filter: {},
      keys: { attacker: String(a.id), source: a.ip },
      once: true,
      content: {
        title: `New attacker ${a.ip}`,
        summary: `First contact from ${a.ip} (${a.event_count} events so far)`,
        src_ip: a.ip,
        attacker_id: a.id,
        ...optional("attacker_url", url),
        ...optional("dashboard_url", url),
      },
    };
  }
  if (parsed?.family === "attacker" && parsed.event === "credential") {
    const c = message.payload as CredentialPayload;
    const url = link(`/attackers/${c.attacker_id}`);
    return {
      kind: "credential_captured",
      occurred_at: c.first_seen,
      filter: { kind: c.service },
      keys: { attacker: String(c.attacker_id), source: c.src_ip },
      refs: { credential_id: c.id },
      content: {
        title: `Credential captured over ${c.service}`,
        summary: `${c.src_ip} tried ${c.secret_kind} for "${c.username}" over ${c.service}`,
        service: c.service,
        src_ip: c.src_ip,
        attacker_id: c.attacker_id,
        username: c.username,
        ...optional("attacker_url", url),
        ...optional("dashboard_url", url),
      },
    };
  }
  if (parsed?.family === "decky_state") {
    const d = message.payload as DeckyStatePayload;
    if (!DECKY_FAILURE_STATES.has(d.to) || d.from === d.to) return undefined;
    const verb = d.to === "failed" ? "failed" : "was torn down";
    return {
      kind: "decky_failed",
      occurred_at: d.at,
      filter: { decky: parsed.name },
      keys: { decky: parsed.name },
      content: {
        title: `Decky ${parsed.name} ${verb}`,
        summary: `Decky ${parsed.name} went from ${d.from ?? "nothing"} to ${d.to}`,
        decky: parsed.name,
        reason: `state ${d.to}`,
        ...optional("dashboard_url", link(`/fleet/${encodeURIComponent(parsed.name)}`)),
      },
    };
  }
  if (parsed?.family === "health") {
    const h = message.payload as HealthPayload;
    if (h.status !== "failing") return undefined;
    return {
      kind: "worker_unhealthy",
      occurred_at: h.at,
      filter: {},
      keys: { worker: parsed.worker },
      content: {
        title: `Worker ${parsed.worker} is failing`,
        summary: `Worker ${parsed.worker} is ${h.state} after ${h.restarts} restarts` +
          (h.last_error ? `: ${h.last_error}` : ""),
        worker: parsed.worker,
        ...optional("reason", h.last_error ?? undefined),
        ...optional("dashboard_url", link("/workers")),
      },
    };
  }
  return undefined;
}

function campaignEvent(
  id: string,
  event: "formed" | "merged",
  payload: BusMessage["payload"],
  link: (path: string) => string | undefined,
): AlertEvent {
  const formed = event === "formed";
  const at = typeof payload.at === "string"
    ? payload.at
    : typeof payload.first_seen === "string"
    ? payload.first_seen
    : new Date(0).toISOString();
  const into = typeof payload.other_id === "string" ? ` into ${payload.other_id}` : "";
  return {
    kind: formed ? "campaign_formed" : "campaign_merged",
    occurred_at: at,
    filter: {},
    keys: { campaign: id },
    content: {
      title: `Campaign ${id} ${formed ? "formed" : "merged"}`,
      summary: formed
        ? `Campaign ${id} formed from ${payload.identity_count ?? "related"} identities`
        : `Campaign ${id} was merged${into}`,
      campaign_id: id,
      ...optional("dashboard_url", link(`/campaigns/${encodeURIComponent(id)}`)),
    },
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value === undefined ? {} : { [key]: value } as { [P in K]?: string };
}
