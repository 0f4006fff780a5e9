import assert from "node:assert/strict";
import { mergeTrigger, triggerDetail } from "../../islands/mod.ts";
import type { TriggerView } from "../../web/api/v1/canary.ts";

function view(id: number, overrides: Partial<TriggerView> = {}): TriggerView {
  return {
    id,
    token_uuid: "5f0c2f4e-1111-4c3b-9a57-000000000001",
    token_kind: "http",
    decky_name: "web-01",
    occurred_at: `2026-11-18T14:00:0${id}.000Z`,
    channel: "http",
    src_ip: "192.0.2.9",
    user_agent: null,
    method: "GET",
    request_path: "/c/x",
    dns_qname: null,
    dns_client_subnet: null,
    headers: {},
    hit_count: 1,
    last_at: null,
    rollup_scope: null,
    ...overrides,
  };
}

Deno.test("mergeTrigger() puts a new row on top, keeps at most `limit`, ignores a replay", () => {
  const rows = [view(2), view(1)];
  assert.deepEqual(mergeTrigger(rows, view(3), 2).map((r) => r.id), [3, 2]);
  assert.equal(mergeTrigger(rows, { ...view(2), src_ip: "198.51.100.1" }, 10), rows);
});

Deno.test("mergeTrigger() replaces a grown rollup row in place", () => {
  const rollup = view(2, { rollup_scope: "source", hit_count: 5 });
  const grown = { ...rollup, hit_count: 45, last_at: "2026-11-18T14:00:40.000Z" };
  assert.deepEqual(mergeTrigger([view(3), rollup, view(1)], grown, 10), [view(3), grown, view(1)]);
});

Deno.test("triggerDetail() names the DNS name, or the method and path, then the user agent", () => {
  assert.equal(triggerDetail(view(1)), "GET /c/x");
  assert.equal(triggerDetail(view(1, { user_agent: "git/2.39" })), "GET /c/x (git/2.39)");
  assert.equal(
    triggerDetail(view(1, { channel: "dns", method: null, request_path: null, dns_qname: "a.b" })),
    "a.b",
  );
});
