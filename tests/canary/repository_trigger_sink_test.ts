import assert from "node:assert/strict";
import { RepositoryTriggerSink } from "../../canary/repository_trigger_sink.ts";
import { MemoryBus, TOPIC_PATTERNS } from "../../core/bus/mod.ts";
import type { BusPayload } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import { waitUntil } from "../infra/wait_until.ts";

Deno.test("RepositoryTriggerSink stores the trigger, then publishes it with token kind, decky and request", async () => {
  await using handle = await openMigratedDatabase("sqlite::memory:");
  await using bus = new MemoryBus({ broadcast: false });
  const repos = createRepositories(handle);
  const events: BusPayload[] = [];
  bus.subscribe(TOPIC_PATTERNS.canaryTriggered, ({ payload }) => void events.push(payload));
  const token = await repos.canary.insertToken({
    uuid: crypto.randomUUID(),
    callback_token: "Qx3_kP9vLm2TzR8wNc5dYa",
    kind: "http",
    generator: "git_config",
    blob_uuid: null,
    content_class: null,
    decky_name: "ws-01",
    decky_uuid: "d1",
    placement_path: "/home/alice/.git/config",
    persona: null,
    http_base: "http://192.0.2.1",
    dns_zone: "",
    state: "planted",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
  });
  const sink = new RepositoryTriggerSink(repos.canary, bus);
  const found = await sink.findActiveBySlug("Qx3_kP9vLm2TzR8wNc5dYa");
  assert.deepEqual(found, { uuid: token.uuid, callbackToken: "Qx3_kP9vLm2TzR8wNc5dYa" });
  assert.equal(await sink.findActiveBySlug("nope"), null);
  await sink.recordTriggers([{
    tokenUuid: token.uuid,
    occurredAt: new Date("2026-11-18T14:00:00Z"),
    srcIp: "192.0.2.99",
    userAgent: "git/2.39.5",
    method: "GET",
    requestPath: "/c/Qx3_kP9vLm2TzR8wNc5dYa/info/refs",
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  }]);
  assert.equal((await repos.canary.getToken(token.uuid))?.trigger_count, 1);
  await waitUntil(() => events.length === 1, { what: "the triggered event" });
  assert.deepEqual(events[0], {
    token_uuid: token.uuid,
    event: "triggered",
    at: "2026-11-18T14:00:00.000Z",
    channel: "http",
    source_ip: "192.0.2.99",
    detail: "GET /c/Qx3_kP9vLm2TzR8wNc5dYa/info/refs",
    kind: "http",
    decky: "ws-01",
    user_agent: "git/2.39.5",
  });
});
