/**
 * Writes the records behind each kind of rule event straight into the
 * database, as the collector, canary ingest, fleet and clusterer do: the
 * alerts worker must find them from its cursors (no bus message says so).
 */
import { emptyRollup } from "../../../core/db/mod.ts";
import type { DbHandle, Repositories } from "../../../core/db/mod.ts";
import { makeTokenInput } from "../../web/_token_fixture.ts";

/** The rule events {@linkcode produceEvents} makes one of each. */
export const PRODUCED_KINDS = [
  "canary_triggered",
  "first_contact",
  "credential_captured",
  "campaign_formed",
  "campaign_merged",
  "decky_failed",
] as const;

/** Records one event of each kind in {@linkcode PRODUCED_KINDS}, all told apart by `n`. */
export async function produceEvents(
  repos: Repositories,
  handle: DbHandle,
  n: number,
  kinds: readonly string[] = PRODUCED_KINDS,
): Promise<void> {
  const at = new Date();
  const ip = `198.51.100.${n + 1}`;
  if (kinds.includes("canary_triggered")) {
    const uuid = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
    await repos.canary.insertToken(
      makeTokenInput({ uuid, callback_token: `slug${String(n).padStart(18, "0")}` }),
    );
    await repos.canary.recordTrigger({
      tokenUuid: uuid,
      occurredAt: at,
      srcIp: ip,
      userAgent: "curl/8.0",
      method: "GET",
      requestPath: `/c/slug${n}`,
      dnsQname: null,
      dnsClientSubnet: null,
      headers: {},
    });
  }
  if (kinds.includes("first_contact")) {
    await handle.db.insertInto("attackers").values({
      ip,
      first_seen: at.toISOString(),
      last_seen: at.toISOString(),
      event_count: 1,
      credential_count: 1,
      command_count: 0,
      rollup: JSON.stringify(emptyRollup()),
      tcp_fingerprint: null,
    }).execute();
  }
  if (kinds.includes("credential_captured")) {
    await handle.db.insertInto("credentials").values({
      fingerprint: `fp-${n}`,
      service: "ssh",
      username: `user${n}`,
      secret_kind: "password",
      secret: `hunter${n}`,
      domain: null,
      hashcat_mode: null,
      hashcat_line: null,
      first_seen: at.toISOString(),
      last_seen: at.toISOString(),
      count: 1,
      last_src_ip: ip,
    }).execute();
  }
  const events = [
    ...(kinds.includes("campaign_formed")
      ? [{ kind: "campaign_formed" as const, payload: { id: `f${n}`, identity_count: 2 } }]
      : []),
    ...(kinds.includes("campaign_merged")
      ? [{ kind: "campaign_merged" as const, payload: { campaign_id: `m${n}`, other_id: "f0" } }]
      : []),
  ];
  if (events.length) {
    await repos.campaigns.saveClustering({ identities: [], campaigns: [], events });
  }
  if (kinds.includes("decky_failed")) {
    await repos.fleet.upsert({
      hostUuid: "local",
      name: `decky-${n}`,
      ip: null,
      services: ["ssh"],
      images: {},
      network: null,
      networkDriver: null,
      osPersona: "linux",
    }, "failed");
  }
}
