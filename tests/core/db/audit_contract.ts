import assert from "node:assert/strict";
import { createRepositories, migrateToLatest } from "../../../core/db/mod.ts";
import type { Repositories } from "../../../core/db/mod.ts";
import type { MakeHandle } from "./repository_contract.ts";

const T0 = new Date("2026-12-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

/**
 * The audit log and API key contract, run against SQLite here and a real
 * MariaDB in tests/integration/db.
 */
export async function runAuditContract(t: Deno.TestContext, makeHandle: MakeHandle): Promise<void> {
  const step = (
    name: string,
    fn: (repos: Repositories, clock: { now: Date }) => Promise<void>,
  ) =>
    t.step(name, async () => {
      await using handle = await makeHandle();
      assert.equal((await migrateToLatest(handle)).error, undefined);
      const clock = { now: T0 };
      await fn(createRepositories(handle, { clock: () => clock.now }), clock);
    });

  await step(
    "AuditRepository records entries and lists them newest first with filters",
    async ({ audit }, clock) => {
      const first = await audit.record({
        actor: "alice",
        actorKind: "user",
        clientIp: "192.0.2.7",
        action: "user.added",
        target: "bob",
        outcome: "success",
        detail: { role: "viewer", note: "ünïcode ✓" },
      });
      assert.equal(first.occurred_at, T0.toISOString());
      assert.deepEqual(JSON.parse(first.detail), { role: "viewer", note: "ünïcode ✓" });
      clock.now = at(60_000);
      await audit.record({
        actor: "cli",
        actorKind: "cli",
        osUser: "root",
        action: "user.removed",
        target: "bob",
        outcome: "failure",
      });
      clock.now = at(120_000);
      await audit.record({
        actor: "alice",
        actorKind: "user",
        action: "fleet.deployed",
        outcome: "success",
      });

      const all = await audit.list({ limit: 10, offset: 0 });
      assert.equal(all.total, 3);
      assert.deepEqual(all.items.map((r) => r.action), [
        "fleet.deployed",
        "user.removed",
        "user.added",
      ]);
      assert.deepEqual(all.items[2], first);
      assert.equal(all.items[1].os_user, "root");
      assert.equal(all.items[1].detail, "{}");
      assert.equal(all.items[1].client_ip, null);

      const alice = await audit.list({ actor: "alice", limit: 10, offset: 0 });
      assert.deepEqual(alice.items.map((r) => r.action), ["fleet.deployed", "user.added"]);
      const removed = await audit.list({ action: "user.removed", limit: 10, offset: 0 });
      assert.deepEqual(removed.items.map((r) => r.actor), ["cli"]);
      const window = await audit.list({
        since: at(60_000).toISOString(),
        until: at(120_000).toISOString(),
        limit: 10,
        offset: 0,
      });
      assert.deepEqual(window.items.map((r) => r.action), ["user.removed"]);
      const page = await audit.list({ limit: 1, offset: 1 });
      assert.deepEqual({ n: page.items.length, action: page.items[0].action, total: page.total }, {
        n: 1,
        action: "user.removed",
        total: 3,
      });
    },
  );

  await step(
    "AuditRepository keeps entries that share a timestamp apart, newest id first",
    async ({ audit }) => {
      for (const target of ["a", "b", "c"]) {
        await audit.record({
          actor: "alice",
          actorKind: "user",
          action: "user.added",
          target,
          outcome: "success",
        });
      }
      const { items } = await audit.list({ limit: 10, offset: 0 });
      assert.deepEqual(items.map((r) => r.target), ["c", "b", "a"]);
    },
  );

  await step(
    "AuditRepository cuts an over-long target to its column instead of losing the entry",
    async ({ audit }) => {
      const names = Array.from({ length: 40 }, (_, i) => `decky-${i}`).join(",");
      const row = await audit.record({
        actor: "cli",
        actorKind: "cli",
        osUser: "u".repeat(100),
        action: "fleet.deployed",
        target: names,
        outcome: "success",
        detail: { deckies: names.split(",") },
      });
      const [stored] = (await audit.list({ limit: 1, offset: 0 })).items;
      assert.equal(stored.target, names.slice(0, 255));
      assert.equal(stored.os_user, "u".repeat(64));
      assert.deepEqual(stored, row);
    },
  );

  await step(
    "ApiKeysRepository creates, finds by hash, touches at most once a minute and revokes once",
    async ({ apiKeys }, clock) => {
      const created = await apiKeys.create({
        name: "siem",
        keyHash: "a".repeat(64),
        keyPrefix: "dk_abcdefgh",
        role: "viewer",
        createdBy: "alice",
        expiresAt: at(86_400_000).toISOString(),
      });
      await assert.rejects(apiKeys.create({
        name: "dup",
        keyHash: "a".repeat(64),
        keyPrefix: "dk_x",
        role: "viewer",
        createdBy: "alice",
      }));
      clock.now = at(1000);
      const other = await apiKeys.create({
        name: "soar",
        keyHash: "b".repeat(64),
        keyPrefix: "dk_zzzzzzzz",
        role: "admin-read",
        createdBy: "cli",
      });
      assert.deepEqual(await apiKeys.findByHash("a".repeat(64)), created);
      assert.equal(await apiKeys.findByHash("c".repeat(64)), undefined);
      assert.deepEqual(await apiKeys.get(other.uuid), other);
      const listed = await apiKeys.list({ limit: 10, offset: 0 });
      assert.deepEqual(listed.items.map((k) => k.name), ["soar", "siem"]);
      assert.equal(listed.total, 2);

      clock.now = at(5000);
      await apiKeys.touch(created.uuid);
      assert.equal((await apiKeys.get(created.uuid))?.last_used_at, at(5000).toISOString());
      clock.now = at(30_000);
      await apiKeys.touch(created.uuid);
      assert.equal((await apiKeys.get(created.uuid))?.last_used_at, at(5000).toISOString());
      clock.now = at(65_000);
      await apiKeys.touch(created.uuid);
      assert.equal((await apiKeys.get(created.uuid))?.last_used_at, at(65_000).toISOString());

      assert.equal(await apiKeys.revoke(created.uuid), true);
      assert.equal(await apiKeys.revoke(created.uuid), false);
      assert.equal(await apiKeys.revoke(crypto.randomUUID()), false);
      assert.equal((await apiKeys.get(created.uuid))?.revoked_at, at(65_000).toISOString());
      assert.equal((await apiKeys.get(other.uuid))?.revoked_at, null);
    },
  );
}
