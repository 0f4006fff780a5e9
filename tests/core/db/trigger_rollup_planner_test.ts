import assert from "node:assert/strict";
import { PREFIX_ROLLUPS_PER_WINDOW, TriggerRollupPlanner } from "../../../core/db/mod.ts";
import type { TriggerInput } from "../../../core/db/mod.ts";

const T0 = Date.parse("2026-11-18T14:00:00.000Z");
const TOKEN = "11111111-1111-4111-8111-111111111111";

function hit(i: number, srcIp = "192.0.2.10", path = "/c/abc"): TriggerInput {
  return {
    tokenUuid: TOKEN,
    occurredAt: new Date(T0 + i),
    srcIp,
    userAgent: "curl/8.0",
    method: "GET",
    requestPath: path,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  };
}

Deno.test("TriggerRollupPlanner.plan() keeps `rate` rows per source and shape, then counts repeats in one row", () => {
  const planner = new TriggerRollupPlanner({ ratePerMinute: 10, capPerMinute: 100 });
  const batch = Array.from({ length: 1000 }, (_, i) => hit(i));
  batch.push(hit(1000, "192.0.2.10", "/c/abc/other"));
  const plan = planner.plan(batch);
  assert.equal(plan.rows.length, 11, "10 repeats and the one other path");
  assert.equal(plan.rollups.length, 1);
  const [r] = plan.rollups;
  assert.deepEqual(
    { scope: r.state.scope, src: r.state.srcIp, hits: r.state.hits, added: r.added },
    { scope: "source", src: "192.0.2.10", hits: 990, added: 990 },
  );
  assert.equal(r.state.firstAt, new Date(T0 + 10).toISOString());
  assert.equal(r.state.lastAt, new Date(T0 + 999).toISOString());
  assert.equal(r.state.sample.requestPath, "/c/abc");

  const next = planner.plan([hit(2000)]);
  assert.equal(next.rows.length, 0, "still the same minute");
  assert.equal(next.rollups[0].state, r.state);
  assert.equal(r.state.hits, 991);
  assert.equal(planner.plan([hit(60_000)]).rows.length, 1, "a new minute starts afresh");
});

Deno.test("TriggerRollupPlanner.plan() bounds a flood of spoofed sources: cap rows, then /24 rollups, then one row", () => {
  const planner = new TriggerRollupPlanner({ ratePerMinute: 10, capPerMinute: 100 });
  // 20,000 hits from 20,000 sources spread over 79 /24 networks, all in one minute.
  const batch = Array.from(
    { length: 20_000 },
    (_, i) => hit(i % 60_000, `10.${Math.floor(i / 256) % 79}.${i % 256}.${i % 7}`),
  );
  const plan = planner.plan(batch);
  assert.equal(plan.rows.length, 100);
  const scopes = plan.rollups.map((r) => r.state.scope);
  assert.equal(scopes.filter((s) => s === "prefix").length, PREFIX_ROLLUPS_PER_WINDOW);
  assert.equal(scopes.filter((s) => s === "token").length, 1);
  assert.ok(
    plan.rollups.every((r) => r.state.scope !== "prefix" || r.state.srcIp.endsWith(".0/24")),
  );
  assert.equal(plan.rollups.find((r) => r.state.scope === "token")?.state.srcIp, "*");
  const counted = plan.rows.length + plan.rollups.reduce((n, r) => n + r.added, 0);
  assert.equal(counted, 20_000, "every hit is stored or counted");
});

Deno.test("TriggerRollupPlanner.seed() restores a window so a restart decides as before", () => {
  const live = new TriggerRollupPlanner({ ratePerMinute: 3, capPerMinute: 5 });
  const first = live.plan(Array.from({ length: 8 }, (_, i) => hit(i, `192.0.2.${i % 2}`)));
  assert.deepEqual(first.rows.length, 5);
  const stored = [
    ...first.rows.map((t, i) => ({
      id: i + 1,
      trigger: t,
      rollupScope: null,
      hitCount: 1,
      lastAt: null,
    })),
    ...first.rollups.map((r, i) => ({
      id: 100 + i,
      trigger: { ...r.state.sample, srcIp: r.state.srcIp, occurredAt: new Date(r.state.firstAt) },
      rollupScope: r.state.scope,
      hitCount: r.state.hits,
      lastAt: r.state.lastAt,
    })),
  ];
  const restarted = new TriggerRollupPlanner({ ratePerMinute: 3, capPerMinute: 5 });
  const missing = restarted.missing([hit(20), hit(30), hit(70_000)]);
  assert.equal(missing.length, 2, "one per token and minute");
  assert.equal(missing[0].start.toISOString(), "2026-11-18T14:00:00.000Z");
  assert.equal(missing[0].end.toISOString(), "2026-11-18T14:01:00.000Z");
  restarted.seed(missing[0].key, stored);
  const more = [hit(20, "192.0.2.0"), hit(21, "192.0.2.9")];
  const again = restarted.plan(more);
  const reference = live.plan(more);
  assert.equal(again.rows.length, reference.rows.length);
  const summary = (p: typeof again) =>
    p.rollups.map((r) => [r.state.scope, r.state.srcIp, r.state.hits]);
  assert.deepEqual(summary(again), summary(reference));
  assert.deepEqual(
    again.rollups.map((r) => r.state.id).sort(),
    [100, 101],
    "grows the stored rows",
  );
});

Deno.test("TriggerRollupPlanner.forget() makes a window be read again", () => {
  const planner = new TriggerRollupPlanner({ ratePerMinute: 1, capPerMinute: 0 });
  const plan = planner.plan([hit(1)]);
  assert.equal(planner.missing([hit(2)]).length, 0);
  planner.forget(plan.windows);
  assert.equal(planner.missing([hit(2)]).length, 1);
});

Deno.test("TriggerRollupPlanner keeps every trigger as a row when both limits are 0", () => {
  const planner = new TriggerRollupPlanner({ ratePerMinute: 0, capPerMinute: 0 });
  assert.equal(planner.enabled, false);
  assert.equal(planner.plan(Array.from({ length: 500 }, (_, i) => hit(i))).rows.length, 500);
  assert.equal(new TriggerRollupPlanner({ ratePerMinute: 0, capPerMinute: 5 }).enabled, true);
});

Deno.test("TriggerRollupPlanner refuses a negative or fractional limit, naming it", () => {
  assert.throws(
    () => new TriggerRollupPlanner({ ratePerMinute: -1, capPerMinute: 5 }),
    /ratePerMinute must be >= 0, got -1/,
  );
  assert.throws(
    () => new TriggerRollupPlanner({ ratePerMinute: 1, capPerMinute: 2.5 }),
    /capPerMinute must be >= 0, got 2.5/,
  );
});
