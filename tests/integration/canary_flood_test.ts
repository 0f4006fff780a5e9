import assert from "node:assert/strict";
import {
  createRepositories,
  openDatabase,
  openMigratedDatabase,
  PREFIX_ROLLUPS_PER_WINDOW,
} from "../../core/db/mod.ts";
import type { CanaryTokenRow } from "../../core/db/mod.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { findBinary } from "../infra/find_binary.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { waitForSlug } from "./_canary_up.ts";

const SLUG = "FlOoD_kP9vLm2TzR8wNc5d";
const RATE = 5;
const CAP = 20;
const HITS = 2000;
const DAY = 86_400_000;

/** Sends `n` requests to the canary listener, `parallel` at a time. */
async function flood(
  url: string,
  n: number,
  headers: (i: number) => Record<string, string>,
): Promise<void> {
  const parallel = 50;
  for (let i = 0; i < n; i += parallel) {
    await Promise.all(
      Array.from({ length: Math.min(parallel, n - i) }, async (_, j) => {
        const res = await fetch(url, { headers: headers(i + j) });
        assert.equal(res.status, 200);
        await res.body?.cancel();
      }),
    );
  }
}

Deno.test({
  name: "decnet up folds an HTTP flood into counted rollup rows and removes expired triggers",
  ignore: !findBinary("dig"),
  async fn() {
    const cwd = await Deno.makeTempDir({ prefix: "canary-flood-" });
    try {
      const dbUrl = `sqlite:${cwd}/decnet.db`;
      let token: CanaryTokenRow;
      {
        // An old trigger the retention (1 day) must remove when the worker starts.
        await using handle = await openMigratedDatabase(dbUrl);
        const { canary } = createRepositories(handle);
        token = await canary.insertToken({
          uuid: crypto.randomUUID(),
          callback_token: SLUG,
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
          state: "issued",
          trigger_count: 0,
          last_triggered_at: null,
          last_error: null,
        });
        await canary.recordTriggers([{
          tokenUuid: token.uuid,
          occurredAt: new Date(Date.now() - 2 * DAY),
          srcIp: "192.0.2.200",
          userAgent: null,
          method: "GET",
          requestPath: `/c/${SLUG}`,
          dnsQname: null,
          dnsClientSubnet: null,
          headers: {},
        }]);
      }
      await using proc = spawnDecnet(["up", "--only", "canary,collector"], {
        cwd,
        env: {
          DECNET_DB_URL: dbUrl,
          DECNET_CANARY_HTTP_BIND: "127.0.0.1",
          DECNET_CANARY_HTTP_PORT: "0",
          DECNET_CANARY_DNS_PORT: "0",
          DECNET_CANARY_DNS_BIND: "127.0.0.1",
          DECNET_CANARY_DNS_ZONE: "t.example.net",
          DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
          DECNET_CANARY_TRUSTED_PROXIES: "127.0.0.1/32",
          DECNET_CANARY_TRIGGER_RATE: String(RATE),
          DECNET_CANARY_TRIGGER_CAP: String(CAP),
          DECNET_CANARY_TRIGGER_RETENTION: "1",
        },
      });
      const [, port] = await proc.waitForLine(/Canary HTTP listening on [\d.]+:(\d+)/);
      const [, dnsPort] = await proc.waitForLine(/Canary DNS listening on [\d.]+:(\d+)/);
      // The listeners know the token once the collector's snapshot reached them (one DNS trigger).
      await waitForSlug("127.0.0.1", dnsPort, `ready.${SLUG}.t.example.net`);
      await using handle = await openDatabase(dbUrl);
      const { canary } = createRepositories(handle);
      await waitUntil(async () => (await canary.getToken(token.uuid))?.pruned_count === 1, {
        what: "the expired trigger removed",
      });

      const url = `http://127.0.0.1:${port}/c/${SLUG}`;
      await flood(url, HITS, () => ({ "user-agent": "flood/1.0" }));
      // 2,000 sources, each a different /24, through a trusted proxy's X-Forwarded-For.
      await flood(url, HITS, (i) => ({ "x-forwarded-for": `10.${i >> 8}.${i & 255}.7` }));
      await waitUntil(
        async () => (await canary.getToken(token.uuid))?.trigger_count === 2 + 2 * HITS,
        { what: "every hit counted" },
      );
      const rows = (await canary.listTriggers(token.uuid, { limit: 10_000, offset: 0 })).items;
      const after = (await canary.getToken(token.uuid))!;
      // The floods took well under a minute each, but may straddle a minute boundary or two.
      const minutes = new Set(rows.map((r) => r.occurred_at.slice(0, 16))).size;
      assert.ok(minutes <= 3, `${minutes} minutes`);
      const bound = minutes * (CAP + CAP / RATE + PREFIX_ROLLUPS_PER_WINDOW + 1);
      assert.ok(rows.length <= bound, `${rows.length} rows, bound ${bound}`);
      const stored = rows.reduce((n, r) => n + Number(r.hit_count), 0);
      const rolled = rows.filter((r) => r.rollup_scope !== null)
        .reduce((n, r) => n + Number(r.hit_count), 0);
      assert.equal(stored + after.pruned_count, after.trigger_count);
      assert.equal(after.suppressed_count, rolled);
      assert.ok(rows.some((r) => r.rollup_scope === "source" && r.user_agent === "flood/1.0"));
      assert.ok(
        rows.some((r) => r.rollup_scope === "prefix" && /^10\.\d+\.\d+\.0\/24$/.test(r.src_ip)),
      );
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
