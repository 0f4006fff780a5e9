import assert from "node:assert/strict";
import { createRepositories, migrateToLatest } from "../../../core/db/mod.ts";
import type { DbHandle, Repositories } from "../../../core/db/mod.ts";

/** Opens a fresh, empty database for one contract case. */
export type MakeHandle = () => Promise<DbHandle>;

const T0 = new Date("2026-11-18T14:00:00.000Z");

/**
 * The repository contract, one step per behaviour, run against every engine
 * (SQLite here, a real MariaDB in tests/integration).
 */
export async function runRepositoryContract(
  t: Deno.TestContext,
  makeHandle: MakeHandle,
): Promise<void> {
  const step = (
    name: string,
    fn: (repos: Repositories, clock: { now: Date }, handle: DbHandle) => Promise<void>,
  ) =>
    t.step(name, async () => {
      await using handle = await makeHandle();
      const migrated = await migrateToLatest(handle);
      assert.equal(migrated.error, undefined);
      const clock = { now: T0 };
      await fn(createRepositories(handle, { clock: () => clock.now }), clock, handle);
    });

  await step(
    "UsersRepository creates, finds, changes and removes users",
    async ({ users }, clock) => {
      assert.equal(await users.count(), 0);
      const created = await users.create({ username: "alice", passwordHash: "h1", role: "admin" });
      await users.create({ username: "bob", passwordHash: "h2", role: "viewer" });
      await assert.rejects(users.create({ username: "alice", passwordHash: "x", role: "viewer" }));
      assert.deepEqual({ ...(await users.findByUsername("alice")) }, created);
      assert.equal((await users.findByUuid(created.uuid))?.username, "alice");
      assert.deepEqual((await users.list()).map((u) => u.username), ["alice", "bob"]);
      assert.equal(await users.countAdmins(), 1);
      clock.now = new Date(T0.getTime() + 60_000);
      assert.equal(await users.setPassword("alice", "h3"), true);
      const changed = await users.findByUsername("alice");
      assert.equal(changed?.password_hash, "h3");
      assert.equal(changed?.password_changed_at, clock.now.toISOString());
      assert.equal(await users.setPassword("nobody", "x"), false);
      assert.equal(await users.remove("bob"), true);
      assert.equal(await users.remove("bob"), false);
      assert.equal(await users.count(), 1);
    },
  );

  await step(
    "UsersRepository revokes tokens idempotently and prunes expired ones",
    async ({ users }, clock) => {
      await users.revokeToken("jti-1", new Date(T0.getTime() + 1000));
      await users.revokeToken("jti-1", new Date(T0.getTime() + 1000));
      await users.revokeToken("jti-2", new Date(T0.getTime() + 10_000));
      assert.equal(await users.isTokenRevoked("jti-1"), true);
      assert.equal(await users.isTokenRevoked("jti-3"), false);
      clock.now = new Date(T0.getTime() + 5000);
      assert.equal(await users.pruneRevokedTokens(), 1);
      assert.equal(await users.isTokenRevoked("jti-2"), true);
    },
  );

  await step(
    "SettingsRepository replaces a value whole, also with identical content",
    async ({ settings }) => {
      assert.equal(await settings.get("k"), undefined);
      await settings.put("k", { a: 1 });
      await settings.put("k", { a: 1 });
      await settings.put("k", { b: [1, 2] });
      assert.deepEqual(await settings.get("k"), { b: [1, 2] });
    },
  );

  await step(
    "FleetRepository upserts by (host, name), tracks state and lists running deckies",
    async ({ fleet }, clock, handle) => {
      const base = {
        hostUuid: "local",
        ip: "192.0.2.10",
        services: ["ssh", "http"],
        images: { ssh: "img:1" },
        network: "decoys",
        networkDriver: "bridge",
        osPersona: "linux",
      };
      const a = await fleet.upsert({ ...base, name: "ws-01" }, "running");
      await fleet.upsert({ ...base, name: "ws-02" }, "pending");
      await fleet.upsert({ ...base, hostUuid: "other", name: "ws-01" }, "running");
      const again = await fleet.upsert({ ...base, name: "ws-01", ip: "192.0.2.11" }, "running");
      assert.equal(again.uuid, a.uuid);
      assert.equal(again.ip, "192.0.2.11");
      assert.deepEqual(again.services, ["ssh", "http"]);
      assert.equal((await fleet.list({ hostUuid: "local" })).length, 2);
      assert.equal((await fleet.list({ state: "running" })).length, 2);

      clock.now = new Date(T0.getTime() + 1000);
      await fleet.upsert({ ...base, name: "ws-02" }, "running");
      assert.equal((await fleet.get("local", "ws-02"))?.stateSince, clock.now.toISOString());

      // Shard rows have no writer yet (the swarm brings it): one row, as an agent would leave it.
      await handle.db.insertInto("decky_shards").values({
        uuid: "00000000-0000-4000-8000-000000000050",
        host_uuid: "agent-1",
        name: "edge-01",
        ip: "192.0.2.51",
        services: JSON.stringify(["ssh"]),
        state: "running",
        created_at: T0.toISOString(),
        updated_at: T0.toISOString(),
      }).execute();

      const running = await fleet.listRunningDeckies();
      assert.deepEqual(
        running.map((d) => [d.name, d.source, d.hostUuid]),
        [
          ["edge-01", "shard", "agent-1"],
          ["ws-01", "fleet", "local"],
          ["ws-01", "fleet", "other"],
          ["ws-02", "fleet", "local"],
        ],
      );
      assert.equal(running.find((d) => d.name === "edge-01")?.ip, "192.0.2.51");
      assert.equal(await fleet.remove("local", "ws-02"), true);
      assert.equal(await fleet.remove("local", "ws-02"), false);
    },
  );

  await step(
    "FleetRepository.findDecky() prefers this host's fleet decky, then other hosts, then shards",
    async ({ fleet }, _clock, handle) => {
      const base = {
        ip: "192.0.2.10",
        services: ["ssh"],
        images: { base: "img:1" },
        network: "decoys",
        networkDriver: "bridge",
        osPersona: "linux",
      };
      await fleet.upsert({ ...base, hostUuid: "a-host", name: "ws-01" }, "pending");
      await fleet.upsert({ ...base, hostUuid: "local", name: "ws-01" }, "running");
      await handle.db.insertInto("decky_shards").values({
        uuid: "00000000-0000-4000-8000-000000000051",
        host_uuid: "agent-1",
        name: "edge-01",
        ip: null,
        services: "[]",
        state: "failed",
        created_at: T0.toISOString(),
        updated_at: T0.toISOString(),
      }).execute();
      assert.equal((await fleet.findDecky("ws-01", { hostUuid: "local" }))?.hostUuid, "local");
      assert.equal((await fleet.findDecky("ws-01", { hostUuid: "z-host" }))?.hostUuid, "a-host");
      assert.equal(
        (await fleet.findDecky("ws-01", { hostUuid: "local", state: "pending" }))?.hostUuid,
        "a-host",
      );
      const shard = await fleet.findDecky("edge-01", { hostUuid: "local" });
      assert.deepEqual({ ...shard }, {
        uuid: "00000000-0000-4000-8000-000000000051",
        name: "edge-01",
        source: "shard",
        hostUuid: "agent-1",
        services: [],
        images: {},
        network: null,
        networkDriver: null,
        ip: null,
        osPersona: null,
        state: "failed",
        stateSince: T0.toISOString(),
      });
      assert.equal(await fleet.findDecky("edge-01", { state: "running" }), undefined);
      assert.equal(await fleet.findDecky("nope"), undefined);
    },
  );

  await step(
    "SyntheticFilesRepository upserts on (decky, path) and picks candidates",
    async ({ syntheticFiles }) => {
      assert.equal(await syntheticFiles.pickEditCandidate(() => 0.5), undefined);
      const input = {
        deckyUuid: "d1",
        path: "/home/alice/notes.txt",
        persona: "alice@example.com",
        contentClass: "note",
        at: T0.toISOString(),
        lastModified: T0.toISOString(),
        contentHash: "h1",
        body: "first",
      };
      const first = await syntheticFiles.upsert(input);
      assert.equal(first.edit_count, 0);
      const second = await syntheticFiles.upsert({
        ...input,
        body: "x".repeat(70_000),
        contentHash: "h2",
      });
      assert.equal(second.id, first.id);
      assert.equal(second.edit_count, 1);
      assert.equal(second.last_body.length, 64 * 1024);
      for (let i = 0; i < 5; i++) {
        await syntheticFiles.upsert({ ...input, path: `/home/alice/f${i}.md` });
      }
      const seen = new Set<number>();
      for (const r of [0, 0.2, 0.4, 0.6, 0.8, 0.999]) {
        const c = await syntheticFiles.pickEditCandidate(() => r);
        assert.ok(c);
        seen.add(c.id);
      }
      assert.ok(seen.size >= 4);
      const page = await syntheticFiles.listForDecky("d1", { limit: 2, offset: 0 });
      assert.equal(page.total, 6);
      assert.equal(page.items.length, 2);
    },
  );

  await step(
    "OrchestratorRepository lists, filters and prunes to exact caps",
    async ({ orchestrator }) => {
      for (let i = 0; i < 12; i++) {
        await orchestrator.insertEvent({
          ts: new Date(T0.getTime() + i * 1000).toISOString(),
          kind: i % 2 ? "traffic" : "file",
          src_decky_uuid: "s",
          src_decky_name: "src",
          dst_decky_uuid: i < 8 ? "a" : "b",
          dst_decky_name: i < 8 ? "A" : "B",
          success: i % 3 ? 1 : 0,
          payload: JSON.stringify({ i }),
          error: null,
        });
      }
      const traffic = await orchestrator.listEvents({ kind: "traffic", limit: 50, offset: 0 });
      assert.equal(traffic.total, 6);
      assert.ok(traffic.items[0].ts > traffic.items[1].ts);
      const failed = await orchestrator.listEvents({ success: false, limit: 50, offset: 0 });
      assert.equal(failed.total, 4);
      const stats = await orchestrator.stats({
        since: new Date(T0.getTime() + 6000).toISOString(),
      });
      assert.equal(stats.reduce((n, r) => n + r.n, 0), 6);
      assert.equal(
        (await orchestrator.stats({ success: false })).reduce((n, r) => n + r.n, 0),
        4,
      );
      assert.equal(await orchestrator.pruneEvents(3, { deckies: ["b"] }), 1, "only b pruned");
      assert.equal(await orchestrator.pruneEvents(3), 5);
      const left = await orchestrator.listEvents({ limit: 50, offset: 0 });
      assert.equal(left.total, 6);
      assert.deepEqual(left.items.map((e) => JSON.parse(e.payload).i), [11, 10, 9, 7, 6, 5]);

      for (let i = 0; i < 4; i++) {
        await orchestrator.insertEmail({
          ts: new Date(T0.getTime() + i * 1000).toISOString(),
          mail_decky_uuid: "m",
          mail_decky_name: "mail",
          thread_id: "t1",
          message_id: `<${i}@example.com>`,
          in_reply_to: i ? `<${i - 1}@example.com>` : null,
          references_chain: "",
          sender: i % 2 ? "b@example.com" : "a@example.com",
          recipient: i % 2 ? "a@example.com" : "b@example.com",
          subject: "Budget",
          language: "en",
          body: "hi",
          path: "/var/spool/x.eml",
          success: 1,
          error: null,
        });
      }
      assert.equal(
        (await orchestrator.newestMessageBetween("b@example.com", "a@example.com"))?.message_id,
        "<3@example.com>",
      );
      assert.equal(
        await orchestrator.newestMessageBetween("a@example.com", "c@example.com"),
        undefined,
      );
      assert.equal(await orchestrator.pruneEmails(2), 2);
      assert.equal((await orchestrator.listEmails({ limit: 10, offset: 0 })).total, 2);

      // Stream reads go by id: the newest as a starting point, then what came after it.
      const [newest] = await orchestrator.listEventsForStream({ limit: 1 });
      assert.deepEqual(JSON.parse(newest.payload), { i: 11 });
      const ids = (await orchestrator.listEventsForStream({ limit: 10 })).map((e) => Number(e.id));
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
      const after = await orchestrator.listEventsForStream({ afterId: ids[3], limit: 10 });
      assert.deepEqual(after.map((e) => Number(e.id)), ids.slice(4));
      const mails = await orchestrator.listEmailsForStream({ limit: 10 });
      assert.deepEqual(mails.map((m) => m.message_id), ["<2@example.com>", "<3@example.com>"]);
      assert.deepEqual(
        await orchestrator.listEmailsForStream({ afterId: Number(mails[1].id), limit: 10 }),
        [],
      );
    },
  );

  await step(
    "CanaryRepository records triggers in one transaction and guards blobs",
    async ({ canary }, clock) => {
      const blob = await canary.insertBlob({
        sha256: "a".repeat(64),
        filename: "q3.docx",
        mime: "application/zip",
        size: 1234,
      });
      assert.equal((await canary.findBlobBySha256("a".repeat(64)))?.uuid, blob.uuid);
      const token = await canary.insertToken({
        uuid: crypto.randomUUID(),
        callback_token: "AbCdEfGhIjKlMnOpQrStUv",
        kind: "http",
        generator: null,
        blob_uuid: blob.uuid,
        content_class: null,
        decky_name: "ws-01",
        decky_uuid: "d1",
        placement_path: "/home/alice/q3.docx",
        persona: null,
        http_base: "http://192.0.2.1:8088",
        dns_zone: "",
        state: "planted",
        trigger_count: 0,
        last_triggered_at: null,
        last_error: null,
      });
      assert.equal(token.callback_token_lc, "abcdefghijklmnopqrstuv");
      assert.equal((await canary.findActiveBySlug("AbCdEfGhIjKlMnOpQrStUv"))?.uuid, token.uuid);
      assert.equal(await canary.findActiveBySlug("abcdefghijklmnopqrstuv"), undefined);
      assert.equal((await canary.findActiveBySlugLc("abcdefghijklmnopqrstuv"))?.uuid, token.uuid);

      clock.now = new Date(T0.getTime() + 5000);
      await canary.recordTrigger({
        tokenUuid: token.uuid,
        occurredAt: clock.now,
        srcIp: "192.0.2.99",
        userAgent: "git/2.39",
        method: "GET",
        requestPath: "/c/AbCdEfGhIjKlMnOpQrStUv/info/refs",
        dnsQname: null,
        dnsClientSubnet: null,
        headers: { "user-agent": "git/2.39" },
      });
      const after = await canary.getToken(token.uuid);
      assert.equal(after?.trigger_count, 1);
      assert.equal(after?.last_triggered_at, clock.now.toISOString());
      const triggers = await canary.listTriggers(token.uuid, { limit: 10, offset: 0 });
      assert.equal(triggers.total, 1);
      assert.deepEqual(triggers.items[0].headers, { "user-agent": "git/2.39" });

      const blobs = await canary.listBlobs({ limit: 10, offset: 0 });
      assert.equal(blobs.items[0].token_count, 1);
      assert.equal(blobs.items[0].size, 1234);
      assert.equal(await canary.deleteBlob(blob.uuid), "in_use");
      assert.equal((await canary.listTokens({ state: "planted", limit: 10, offset: 0 })).total, 1);
      assert.equal(
        (await canary.listTokens({ deckyName: "other", limit: 10, offset: 0 })).total,
        0,
      );

      const recorded = await canary.recordTriggers([1, 2, 3].map((i) => ({
        tokenUuid: token.uuid,
        occurredAt: new Date(T0.getTime() + 10_000 + i * 1000),
        srcIp: "192.0.2.10",
        userAgent: null,
        method: null,
        requestPath: null,
        dnsQname: `x${i}.AbCdEfGhIjKlMnOpQrStUv.t.example.net`,
        dnsClientSubnet: "198.51.100.0/24",
        headers: { qtype: "A" },
      })));
      const batched = await canary.getToken(token.uuid);
      assert.equal(batched?.trigger_count, 4);
      assert.equal(batched?.last_triggered_at, new Date(T0.getTime() + 13_000).toISOString());
      const listed = await canary.listTriggers(token.uuid, { limit: 10, offset: 0 });
      assert.equal(listed.total, 4);
      // What was stored comes back whole (id, the token's kind and decky): no second lookup.
      assert.deepEqual(recorded.stored, listed.items.slice(0, 3).reverse());
      assert.deepEqual(
        recorded.stored.map((t) => [t.token_kind, t.decky_name, t.channel, t.headers.qtype]),
        Array(3).fill(["http", "ws-01", "dns", "A"]),
      );
      assert.deepEqual(await canary.recentTriggers(2), listed.items.slice(0, 2));

      const recent = await canary.listTriggersForStream({ limit: 2 });
      assert.deepEqual(recent.map((r) => r.dns_qname?.slice(0, 2)), ["x2", "x3"]);
      const allIds = (await canary.listTriggersForStream({ limit: 10 })).map((r) => Number(r.id));
      assert.equal(allIds.length, 4);
      const newer = await canary.listTriggersForStream({ afterId: allIds[1], limit: 10 });
      assert.deepEqual(newer.map((r) => Number(r.id)), allIds.slice(2));
      assert.equal((await canary.listTokensOfDecky("ws-01", ["planted"])).length, 1);
      assert.equal((await canary.listTokensOfDecky("ws-01", ["failed"])).length, 0);
      assert.equal((await canary.listTokensOfDecky("ws-01", [])).length, 0);
      // A decky of the same name on a swarm host is another decky.
      const remote = await canary.insertToken({
        ...token,
        uuid: crypto.randomUUID(),
        callback_token: "RemoteRemoteRemoteRemo",
        decky_host: "alpha",
      });
      assert.equal((await canary.getToken(remote.uuid))?.decky_host, "alpha");
      await canary.setTokenState(remote.uuid, "planted");
      const of = async (host?: string | null) =>
        (await canary.listTokensOfDecky("ws-01", ["planted"], host === undefined ? {} : { host }))
          .map((t) => t.decky_host);
      assert.deepEqual((await of()).sort(), ["alpha", null]);
      assert.deepEqual(await of("alpha"), ["alpha"]);
      assert.deepEqual(await of(null), [null]);
      await canary.setTokenState(remote.uuid, "revoked");

      assert.equal(await canary.setTokenState(token.uuid, "revoked"), true);
      assert.equal(await canary.findActiveBySlug("AbCdEfGhIjKlMnOpQrStUv"), undefined);
      await assert.rejects(canary.insertToken({ ...token, uuid: crypto.randomUUID() }));
    },
  );
}
