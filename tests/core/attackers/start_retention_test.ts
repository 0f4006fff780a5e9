import assert from "node:assert/strict";
import { startRetention } from "../../../core/attackers/start_retention.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import type { TriggerInput } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const NOW = new Date("2026-11-18T14:00:00.000Z");
const DAY = 86_400_000;

/** pruneExpiredTriggers over a list of row times, oldest first, as the repository does it. */
class FakeTriggers {
  times: number[];
  calls: { before: string; limit: number }[] = [];
  failures = 0;
  constructor(times: number[]) {
    this.times = [...times].sort((a, b) => a - b);
  }
  pruneExpiredTriggers(o: { before: Date; limit: number }): Promise<number> {
    this.calls.push({ before: o.before.toISOString(), limit: o.limit });
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:3306"));
    }
    const expired = this.times.filter((t) => t < o.before.getTime()).slice(0, o.limit);
    this.times = this.times.slice(expired.length);
    return Promise.resolve(expired.length);
  }
}

Deno.test("startRetention() removes rows older than the retention in batches, at start", async () => {
  const rows = new FakeTriggers([
    ...Array.from({ length: 8 }, (_, i) => NOW.getTime() - 40 * DAY - i),
    NOW.getTime() - 29 * DAY,
    NOW.getTime(),
  ]);
  const lines: string[] = [];
  await using retention = startRetention({
    what: "canary triggers",
    prune: (o) => rows.pruneExpiredTriggers(o),
    retentionDays: 30,
    batchSize: 3,
    now: () => NOW,
    log: new Logger({ sink: (_, line) => lines.push(line) }),
  });
  await waitUntil(() => rows.calls.length === 3, { what: "three batches" });
  assert.equal(await retention.runNow(), 0);
  assert.equal(rows.times.length, 2, "the 29-day-old row and today's stay");
  assert.deepEqual(rows.calls.slice(0, 3), [
    { before: "2026-10-19T14:00:00.000Z", limit: 3 },
    { before: "2026-10-19T14:00:00.000Z", limit: 3 },
    { before: "2026-10-19T14:00:00.000Z", limit: 3 },
  ]);
  assert.ok(
    lines.some((l) => l.includes("expired canary triggers removed rows=8")),
    lines.join("\n"),
  );
});

Deno.test("startRetention() passes again every interval and survives a failing database", async () => {
  let now = NOW.getTime();
  const rows = new FakeTriggers([NOW.getTime() - 2 * DAY]);
  rows.failures = 1;
  const lines: string[] = [];
  await using _retention = startRetention({
    what: "canary triggers",
    prune: (o) => rows.pruneExpiredTriggers(o),
    retentionDays: 1,
    intervalMs: 10,
    now: () => new Date(now),
    log: new Logger({ sink: (_, line) => lines.push(line) }),
  });
  await waitUntil(() => rows.times.length === 0, { what: "the retried pass" });
  assert.ok(
    lines.some((l) =>
      l.includes("cannot remove expired canary triggers") && l.includes("ECONNREFUSED")
    ),
  );
  // Time moves on: today's row expires in a later pass.
  rows.times.push(NOW.getTime());
  now += 2 * DAY;
  await waitUntil(() => rows.times.length === 0, { what: "a later pass" });
});

Deno.test("startRetention() with 0 days keeps everything and schedules nothing", async () => {
  const rows = new FakeTriggers([0]);
  await using retention = startRetention({
    what: "canary triggers",
    prune: (o) => rows.pruneExpiredTriggers(o),
    retentionDays: 0,
    intervalMs: 1,
  });
  assert.equal(await retention.runNow(), 0);
  assert.equal(rows.calls.length, 0);
});

Deno.test("startRetention() refuses a negative or fractional figure, naming it", () => {
  const repo = new FakeTriggers([]);
  assert.throws(
    () =>
      startRetention({
        what: "canary triggers",
        prune: (o) => repo.pruneExpiredTriggers(o),
        retentionDays: -1,
      }),
    /retentionDays must be >= 0, got -1/,
  );
  assert.throws(
    () =>
      startRetention({
        what: "canary triggers",
        prune: (o) => repo.pruneExpiredTriggers(o),
        retentionDays: 1,
        batchSize: 0,
      }),
    /batchSize must be >= 1, got 0/,
  );
  assert.throws(
    () =>
      startRetention({
        what: "canary triggers",
        prune: (o) => repo.pruneExpiredTriggers(o),
        retentionDays: 1,
        intervalMs: 0.5,
      }),
    /intervalMs must be >= 1, got 0.5/,
  );
});

Deno.test("startRetention() over SQLite leaves exactly the rows within the retention", async () => {
  await using handle = await openMigratedDatabase("sqlite::memory:");
  const { canary } = createRepositories(handle);
  const token = await canary.insertToken({
    uuid: crypto.randomUUID(),
    callback_token: "RetentionSlug000000000",
    kind: "http",
    generator: "env_file",
    blob_uuid: null,
    content_class: null,
    decky_name: null,
    decky_uuid: null,
    placement_path: null,
    persona: null,
    http_base: "http://192.0.2.1",
    dns_zone: "",
    state: "planted",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
  });
  const hit = (ageDays: number, i: number): TriggerInput => ({
    tokenUuid: token.uuid,
    occurredAt: new Date(NOW.getTime() - ageDays * DAY + i),
    srcIp: `192.0.2.${i}`,
    userAgent: null,
    method: "GET",
    requestPath: "/c/RetentionSlug000000000",
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  });
  await canary.recordTriggers([
    ...Array.from({ length: 25 }, (_, i) => hit(200, i)),
    ...Array.from({ length: 5 }, (_, i) => hit(179, i)),
  ]);
  await using retention = startRetention({
    what: "canary triggers",
    prune: (o) => canary.pruneExpiredTriggers(o),
    retentionDays: 180,
    batchSize: 10,
    intervalMs: 3_600_000,
    now: () => NOW,
  });
  // The first pass starts with the loop; runNow() joins it.
  assert.equal(await retention.runNow(), 25);
  const left = await canary.listTriggers(token.uuid, { limit: 100, offset: 0 });
  assert.equal(left.total, 5);
  assert.ok(left.items.every((r) => r.occurred_at > "2026-05-22"));
  const after = await canary.getToken(token.uuid);
  assert.deepEqual([after?.trigger_count, after?.pruned_count], [30, 25]);
});
