import assert from "node:assert/strict";
import { alertEventOf } from "../../../core/alerts/alert_event_of.ts";
import {
  attackerTopic,
  campaignTopic,
  canaryTopic,
  deckyStateTopic,
  healthTopic,
} from "../../../core/bus/mod.ts";
import type { BusPayload } from "../../../core/bus/mod.ts";

const DASH = { dashboardUrl: "https://dash.example/" };
const at = "2026-12-01T10:00:00.000Z";
const of = (topic: string, payload: BusPayload, options = DASH) =>
  alertEventOf({ topic, payload }, options);

Deno.test("alertEventOf() makes a canary trigger an event with its token, source, request and link", () => {
  const trigger: BusPayload = {
    event: "triggered",
    id: 1,
    token_uuid: "tok-1",
    token_kind: "dns",
    decky_name: "web-01",
    occurred_at: at,
    channel: "dns",
    src_ip: "192.0.2.9",
    user_agent: null,
    method: null,
    request_path: null,
    dns_qname: "abc.t.example.net",
    dns_client_subnet: null,
    headers: {},
    hit_count: 5,
    last_at: "2026-12-01T10:01:00.000Z",
    rollup_scope: "source",
  };
  const e = of(canaryTopic("tok-1", "triggered"), trigger)!;
  assert.equal(e.kind, "canary_triggered");
  assert.equal(e.occurred_at, "2026-12-01T10:01:00.000Z");
  assert.deepEqual(e.filter, { token: "tok-1", decky: "web-01", kind: "dns" });
  assert.deepEqual(e.keys, { token: "tok-1", source: "192.0.2.9", decky: "web-01" });
  assert.equal(e.content.dns_name, "abc.t.example.net");
  assert.equal(e.content.request_method, undefined);
  assert.equal(e.content.dashboard_url, "https://dash.example/canary/tok-1");
  assert.match(e.content.summary, /DNS name abc\.t\.example\.net \(5 hits\)/);
  // Without a dashboard URL there is no link.
  const bare = of(canaryTopic("tok-1", "triggered"), trigger, { dashboardUrl: "" });
  assert.equal(bare?.content.dashboard_url, undefined);
});

Deno.test("alertEventOf() maps first contact, credentials, decky failures and failing workers, and ignores the rest", () => {
  const contact = of(attackerTopic(7, "observed"), {
    id: 7,
    ip: "192.0.2.7",
    first_seen: at,
    last_seen: at,
    event_count: 3,
    credential_count: 0,
    command_count: 0,
  })!;
  assert.equal(contact.kind, "first_contact");
  assert.equal(contact.once, true);
  assert.equal(contact.content.attacker_url, "https://dash.example/attackers/7");

  const credential = of(attackerTopic(7, "credential"), {
    id: 3,
    attacker_id: 7,
    service: "ssh",
    username: "root",
    secret_kind: "password",
    domain: null,
    hashcat_mode: null,
    first_seen: at,
    src_ip: "192.0.2.7",
  })!;
  assert.equal(credential.kind, "credential_captured");
  assert.equal(credential.content.username, "root");
  assert.deepEqual(credential.refs, { credential_id: 3 });
  assert.deepEqual(credential.filter, { kind: "ssh" });

  const failed = of(deckyStateTopic("local", "web-01"), {
    host_uuid: "local",
    decky: "web-01",
    from: "running",
    to: "failed",
    at,
  })!;
  assert.equal(failed.kind, "decky_failed");
  assert.deepEqual(failed.keys, { decky: "web-01" });
  assert.equal(
    of(deckyStateTopic("local", "web-01"), {
      host_uuid: "local",
      decky: "web-01",
      from: "pending",
      to: "running",
      at,
    }),
    undefined,
  );

  const health = {
    worker: "collector",
    state: "restarting",
    at,
    uptime_seconds: 0,
    restarts: 4,
    last_error: "boom",
  };
  assert.equal(
    of(healthTopic("collector"), { ...health, status: "failing" })?.kind,
    "worker_unhealthy",
  );
  assert.equal(of(healthTopic("collector"), { ...health, status: "ok" }), undefined);

  // The topics the clusterer publishes: `campaign.<id>.<event>`, with string ids.
  assert.equal(of(campaignTopic("c12", "formed"), { id: "c12", at })?.kind, "campaign_formed");
  const merged = of(campaignTopic("c12", "merged"), { campaign_id: "c12", other_id: "c1", at });
  assert.equal(merged?.kind, "campaign_merged");
  assert.equal(merged?.content.campaign_id, "c12");
  assert.equal(merged?.content.summary, "Campaign c12 was merged into c1");
  assert.equal(of(campaignTopic("c12", "unmerged"), { campaign_id: "c12", at }), undefined);
  assert.equal(of("orchestrator.file.web-01", { decky: "web-01" }), undefined);
});
