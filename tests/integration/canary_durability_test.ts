import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createRepositories, type DbHandle } from "../../core/db/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { sendCallbacks } from "./_callback_load.ts";
import { insertToken, openUpDatabase, waitForSlug } from "./_canary_up.ts";

const ZONE = "t.example.net";
const SLUG = "DuRab1eKi11NineTest0Ab";

/** HTTP triggers stored for the token (the DNS readiness probes are not part of the load). */
async function storedHttp(handle: DbHandle, uuid: string): Promise<number> {
  const { items, total } = await createRepositories(handle).canary.listTriggers(uuid, {
    limit: 100_000,
    offset: 0,
  });
  assert.equal(items.length, total);
  // A flood from one client is folded into rollup rows: count hits, not rows.
  return items.filter((t) => t.request_path !== null).reduce((n, t) => n + Number(t.hit_count), 0);
}

function upEnv(): Record<string, string> {
  return {
    DECNET_CANARY_HTTP_BIND: "127.0.0.1",
    DECNET_CANARY_HTTP_PORT: "0",
    DECNET_CANARY_DNS_BIND: "127.0.0.1",
    DECNET_CANARY_DNS_PORT: "0",
    DECNET_CANARY_DNS_ZONE: ZONE,
    DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
  };
}

Deno.test({
  name:
    "decnet up killed with SIGKILL mid-load never loses an acknowledged trigger (three crashes)",
  ignore: !findBinary("dig"),
  async fn(t) {
    const cwd = await Deno.makeTempDir({ prefix: "kill9-" });
    try {
      let acknowledged = 0;
      let sent = 0;
      let uuid = "";
      for (let round = 1; round <= 3; round++) {
        await t.step(`crash ${round}`, async () => {
          // Killed mid-load below; `await using` also kills it when a step fails first.
          await using proc = spawnDecnet(["up", "--only", "canary,collector"], {
            cwd,
            env: upEnv(),
          });
          const [, httpPort] = await proc.waitForLine(/Canary HTTP listening on [\d.]+:(\d+)/);
          const [, dnsPort] = await proc.waitForLine(/Canary DNS listening on [\d.]+:(\d+)/);
          await using db = await openUpDatabase(cwd);
          if (round === 1) uuid = await insertToken(db, SLUG);
          await waitForSlug("127.0.0.1", dnsPort, `ready${round}.${SLUG}.${ZONE}`);
          // What the previous crash left in the journal is stored by this start's collector.
          await waitUntil(async () => (await storedHttp(db, uuid)) >= acknowledged, {
            what: `the ${acknowledged} triggers acknowledged before the crash stored`,
          });
          let killed: Promise<unknown> | undefined;
          const load = await sendCallbacks(`http://127.0.0.1:${httpPort}/c/${SLUG}/info/refs`, {
            total: 3000,
            concurrency: 200,
            onAcknowledged: (n) => {
              if (n === 1000) killed = proc.kill("SIGKILL");
            },
          });
          await killed;
          acknowledged += load.acknowledged;
          sent += load.sent;
          assert.ok(load.acknowledged >= 1000 && load.failed > 0, JSON.stringify(load));
          // Only what was answered is claimed; the database may hold more (stored, answer lost).
          assert.ok((await storedHttp(db, uuid)) <= sent);
        });
      }
      await t.step("the next start stores every acknowledged trigger, once", async () => {
        await using proc = spawnDecnet(["up", "--only", "canary,collector"], { cwd, env: upEnv() });
        await proc.waitForLine(/Canary DNS listening/);
        await using db = await openUpDatabase(cwd);
        await waitUntil(async () => (await storedHttp(db, uuid)) >= acknowledged, {
          what: `${acknowledged} acknowledged triggers stored`,
        });
        const stored = await storedHttp(db, uuid);
        assert.ok(
          stored >= acknowledged && stored <= sent,
          `${acknowledged} <= ${stored} <= ${sent}`,
        );
        const token = await createRepositories(db).canary.getToken(uuid);
        assert.ok(token!.trigger_count >= stored);
        await proc.close();
      });
      const sqlite = new DatabaseSync(`${cwd}/var/decnet.db`);
      try {
        const check = sqlite.prepare("PRAGMA integrity_check").all();
        assert.deepEqual(check.map((r) => ({ ...r })), [{ integrity_check: "ok" }]);
      } finally {
        sqlite.close();
      }
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
