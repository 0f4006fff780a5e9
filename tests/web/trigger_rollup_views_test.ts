import assert from "node:assert/strict";
import { DEFAULT_TRIGGER_RATE } from "../../core/db/mod.ts";
import { makeTestApp } from "./test_app.ts";

Deno.test("rolled-up hits show in the API views, the token page and the token list", async () => {
  await using app = await makeTestApp();
  const viewer = await app.login("watcher", "viewer");
  const token = await app.repos.canary.insertToken({
    uuid: "5f0c2f4e-2222-4c3b-9a57-000000000002",
    callback_token: "RoLlUpSlUg0123456789ab",
    kind: "http",
    generator: "env_file",
    blob_uuid: null,
    content_class: null,
    decky_name: "web-02",
    decky_uuid: null,
    placement_path: "/srv/.env",
    persona: null,
    http_base: "http://192.0.2.1",
    dns_zone: "",
    state: "planted",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
  });
  const hits = DEFAULT_TRIGGER_RATE + 25;
  await app.repos.canary.recordTriggers(Array.from({ length: hits }, (_, i) => ({
    tokenUuid: token.uuid,
    occurredAt: new Date(Date.parse("2026-11-18T13:00:00.000Z") + i),
    srcIp: "198.51.100.44",
    userAgent: "python-requests/2.31",
    method: "GET",
    requestPath: "/c/RoLlUpSlUg0123456789ab",
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  })));

  const view = await (await app.request(`/api/v1/canary/tokens/${token.uuid}`, { token: viewer }))
    .json();
  assert.deepEqual([view.trigger_count, view.suppressed_count, view.pruned_count], [hits, 25, 0]);
  const list = await (await app.request("/api/v1/canary/tokens", { token: viewer })).json();
  assert.equal(list.items[0].suppressed_count, 25);
  const triggers = await (await app.request(
    `/api/v1/canary/tokens/${token.uuid}/triggers?limit=1`,
    { token: viewer },
  )).json();
  assert.equal(triggers.total, DEFAULT_TRIGGER_RATE + 1);
  const [rollup] = triggers.items;
  assert.deepEqual(
    [rollup.rollup_scope, rollup.hit_count, rollup.src_ip, rollup.user_agent],
    ["source", 25, "198.51.100.44", "python-requests/2.31"],
  );
  assert.equal(rollup.occurred_at, "2026-11-18T13:00:00.010Z");
  assert.equal(rollup.last_at, "2026-11-18T13:00:00.034Z");

  const cookie = `session=${viewer}`;
  const listPage = await (await app.request("/canary", { headers: { cookie } })).text();
  assert.match(listPage, new RegExp(`${hits}<span class="muted"[^>]*> \\(25 rolled up\\)`));
  const page = await (await app.request(`/canary/${token.uuid}`, { headers: { cookie } })).text();
  assert.match(page, new RegExp(`data-testid="trigger-count">${hits}<`));
  assert.match(page, /data-testid="suppressed-count">25 /);
  assert.match(page, /title="25 hits counted in one row \(source rollup\)">×25</);
  assert.doesNotMatch(page, /pruned-count/);
});
