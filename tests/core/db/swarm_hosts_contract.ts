import assert from "node:assert/strict";
import { createRepositories, migrateToLatest } from "../../../core/db/mod.ts";
import type { Repositories } from "../../../core/db/mod.ts";
import type { MakeHandle } from "./repository_contract.ts";

const T0 = new Date("2026-12-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const KEY_A = "U" + "A".repeat(55);
const KEY_B = "U" + "B".repeat(55);

/** The swarm hosts contract, run against SQLite here and a real MariaDB in tests/integration/db. */
export async function runSwarmHostsContract(
  t: Deno.TestContext,
  makeHandle: MakeHandle,
): Promise<void> {
  const step = (name: string, fn: (repos: Repositories, clock: { now: Date }) => Promise<void>) =>
    t.step(name, async () => {
      await using handle = await makeHandle();
      assert.equal((await migrateToLatest(handle)).error, undefined);
      const clock = { now: T0 };
      await fn(createRepositories(handle, { clock: () => clock.now }), clock);
    });

  await step(
    "SwarmHostsRepository enrolls, replaces an unspent token, refuses joined and revoked hosts",
    async ({ swarmHosts }, clock) => {
      const first = await swarmHosts.enroll({ name: "a", tokenHash: "h1", expiresAt: at(60_000) });
      assert.ok("row" in first);
      assert.equal(first.row.join_token_hash, "h1");
      assert.equal(first.row.created_at, T0.toISOString());
      const again = await swarmHosts.enroll({ name: "a", tokenHash: "h2", expiresAt: at(90_000) });
      assert.ok("row" in again);
      assert.equal(again.row.join_token_hash, "h2");
      assert.equal(again.row.join_expires_at, at(90_000).toISOString());
      clock.now = at(1000);
      const joined = await swarmHosts.redeem({
        name: "a",
        tokenHash: "h2",
        publicKey: KEY_A,
        version: "0.1.0",
      });
      assert.equal(joined?.public_key, KEY_A);
      assert.equal(joined?.enrolled_at, at(1000).toISOString());
      assert.equal(joined?.version, "0.1.0");
      assert.deepEqual(
        await swarmHosts.enroll({ name: "a", tokenHash: "h3", expiresAt: at(60_000) }),
        { conflict: "enrolled" },
      );
      assert.equal(await swarmHosts.revoke("a"), true);
      assert.equal(await swarmHosts.revoke("a"), false);
      assert.equal(await swarmHosts.revoke("nobody"), false);
      assert.deepEqual(
        await swarmHosts.enroll({ name: "a", tokenHash: "h4", expiresAt: at(60_000) }),
        { conflict: "revoked" },
      );
    },
  );

  await step(
    "SwarmHostsRepository.redeem() spends a token once, never when expired, wrong or revoked",
    async ({ swarmHosts }, clock) => {
      await swarmHosts.enroll({ name: "a", tokenHash: "ha", expiresAt: at(60_000) });
      await swarmHosts.enroll({ name: "b", tokenHash: "hb", expiresAt: at(60_000) });
      await swarmHosts.enroll({ name: "c", tokenHash: "hc", expiresAt: at(60_000) });
      const input = { name: "a", tokenHash: "ha", publicKey: KEY_A, version: null };
      assert.equal(await swarmHosts.redeem({ ...input, tokenHash: "hb" }), undefined);
      assert.ok(await swarmHosts.redeem(input));
      assert.equal(await swarmHosts.redeem(input), undefined, "spent");
      await swarmHosts.revoke("c");
      assert.equal(
        await swarmHosts.redeem({ name: "c", tokenHash: "hc", publicKey: KEY_B, version: null }),
        undefined,
      );
      clock.now = at(60_000);
      assert.equal(
        await swarmHosts.redeem({ name: "b", tokenHash: "hb", publicKey: KEY_B, version: null }),
        undefined,
        "expired at its expiry time",
      );
      assert.deepEqual((await swarmHosts.list()).map((h) => h.name), ["a", "b", "c"]);
    },
  );

  await step(
    "SwarmHostsRepository.revocations() lists revoked keys in whole seconds, rounded up",
    async ({ swarmHosts }, clock) => {
      await swarmHosts.enroll({ name: "a", tokenHash: "ha", expiresAt: at(60_000) });
      await swarmHosts.enroll({ name: "b", tokenHash: "hb", expiresAt: at(60_000) });
      await swarmHosts.redeem({ name: "a", tokenHash: "ha", publicKey: KEY_A, version: null });
      await swarmHosts.redeem({ name: "b", tokenHash: "hb", publicKey: KEY_B, version: null });
      assert.deepEqual(await swarmHosts.revocations(), {});
      clock.now = at(1500);
      await swarmHosts.revoke("a");
      assert.deepEqual(await swarmHosts.revocations(), { [KEY_A]: T0.getTime() / 1000 + 2 });
    },
  );

  await step(
    "SwarmHostsRepository.recordHeartbeat() stamps joined, unrevoked hosts only",
    async ({ swarmHosts }, clock) => {
      await swarmHosts.enroll({ name: "a", tokenHash: "ha", expiresAt: at(60_000) });
      assert.equal(await swarmHosts.recordHeartbeat("a", "0.1.0"), false, "not joined yet");
      await swarmHosts.redeem({ name: "a", tokenHash: "ha", publicKey: KEY_A, version: "0.1.0" });
      clock.now = at(5000);
      assert.equal(await swarmHosts.recordHeartbeat("a", "0.2.0"), true);
      const row = await swarmHosts.get("a");
      assert.equal(row?.last_heartbeat, at(5000).toISOString());
      assert.equal(row?.version, "0.2.0");
      assert.equal(await swarmHosts.recordHeartbeat("nobody", null), false);
      await swarmHosts.revoke("a");
      clock.now = at(9000);
      assert.equal(await swarmHosts.recordHeartbeat("a", null), false);
      assert.equal((await swarmHosts.get("a"))?.last_heartbeat, at(5000).toISOString());
    },
  );

  await step(
    "SwarmEventsRepository.store() keeps each event id once",
    async ({ swarmEvents }) => {
      const event = (id: string, host = "a") => ({
        eventId: id,
        host,
        kind: "test",
        occurredAt: T0.toISOString(),
        payload: JSON.stringify({ id }),
      });
      assert.equal(await swarmEvents.store([]), 0);
      assert.equal(await swarmEvents.store([event("e1"), event("e2")]), 2);
      assert.equal(await swarmEvents.store([event("e2"), event("e3"), event("e3")]), 1);
      assert.equal(await swarmEvents.store([event("e4", "b")]), 1);
      assert.equal(await swarmEvents.count(), 4);
      assert.equal(await swarmEvents.count("a"), 3);
      assert.deepEqual((await swarmEvents.listByHost("a", 10)).map((e) => e.event_id), [
        "e1",
        "e2",
        "e3",
      ]);
      assert.equal((await swarmEvents.listByHost("a", 1))[0].received_at, T0.toISOString());
    },
  );
}
