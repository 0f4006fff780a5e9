import assert from "node:assert/strict";
import { createRepositories, type DbHandle, openDatabase } from "../../core/db/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { sendCallbacks } from "./_callback_load.ts";
import { canaryUpEnv, insertToken, waitForCanaryUp, waitForSlug } from "./_canary_up.ts";

const ZONE = "t.example.net";
const SLUG = "MaR1aDbOutag3TestXy9Zq";
/** How long the database stays dead (the scenario). */
const OUTAGE_MS = 30_000;

async function storedHttp(handle: DbHandle, uuid: string): Promise<number> {
  const { items } = await createRepositories(handle).canary.listTriggers(uuid, {
    limit: 100_000,
    offset: 0,
  });
  // A flood from one client is folded into rollup rows: count hits, not rows.
  return items.filter((t) => t.request_path !== null).reduce((n, t) => n + Number(t.hit_count), 0);
}

async function health(api: string): Promise<{ status: number; database: string }> {
  const res = await fetch(`${api}/api/v1/health`);
  const body = await res.json();
  return { status: res.status, database: body.database?.status };
}

Deno.test({
  name:
    "decnet up on MariaDB keeps every trigger acknowledged while the database was SIGKILLed, and health says it is down",
  ignore: mariaDbUnavailable() !== undefined || !findBinary("dig"),
  async fn() {
    await using maria = await startMariaDb();
    const dbUrl = await maria.createDatabase("outage");
    const cwd = await Deno.makeTempDir({ prefix: "db-outage-" });
    try {
      await using proc = spawnDecnet(["up", "--only", "api,canary,collector"], {
        cwd,
        env: { ...canaryUpEnv(ZONE), DECNET_DB_URL: dbUrl },
      });
      const { httpPort, dnsPort, api } = await waitForCanaryUp(proc);
      const uuid = await (async () => {
        await using db = await openDatabase(dbUrl);
        return await insertToken(db, SLUG);
      })();
      await waitForSlug("127.0.0.1", dnsPort, `ready.${SLUG}.${ZONE}`);
      const url = `http://127.0.0.1:${httpPort}/c/${SLUG}`;
      let acknowledged = (await sendCallbacks(url, { total: 300, concurrency: 20 })).acknowledged;

      await maria.kill();
      const killedAt = Date.now();
      const during = await sendCallbacks(url, { total: 1000, concurrency: 50 });
      assert.equal(during.acknowledged, 1000, "the listener answers while the database is dead");
      acknowledged += during.acknowledged;
      await waitUntil(async () => {
        const h = await health(api);
        return h.status === 503 && h.database === "down";
      }, { what: "health reporting the database down" });
      // Keep it dead for the whole outage: the journal holds the triggers meanwhile.
      await new Promise((r) => setTimeout(r, Math.max(0, killedAt + OUTAGE_MS - Date.now())));
      await maria.restart();

      acknowledged += (await sendCallbacks(url, { total: 300, concurrency: 20 })).acknowledged;
      await using db = await openDatabase(dbUrl);
      await waitUntil(async () => (await storedHttp(db, uuid)) >= acknowledged, {
        what: `${acknowledged} acknowledged triggers stored`,
        timeoutMs: 30_000,
      });
      assert.equal(await storedHttp(db, uuid), acknowledged);
      await waitUntil(async () => (await health(api)).database === "up", {
        what: "health reporting the database up again",
      });
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
