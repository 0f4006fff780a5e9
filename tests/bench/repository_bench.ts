/**
 * Repository throughput on SQLite (file, WAL) and on a real MariaDB:
 * trigger inserts (one transaction each), token lookups by slug,
 * edit-candidate picks, and recordTriggers in receiver-sized batches with
 * rollups (the defaults) and without (rate and cap 0).
 */
import {
  createRepositories,
  DEFAULT_TRIGGER_CAP,
  DEFAULT_TRIGGER_RATE,
  openMigratedDatabase,
} from "../../core/db/mod.ts";
import type { CanaryRepository, DbHandle, TriggerInput } from "../../core/db/mod.ts";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

/** What the receiver's batcher hands the repository at most. */
const BATCH = 512;

async function insertTokens(canary: CanaryRepository, n: number): Promise<string[]> {
  const slugs: string[] = [];
  for (let i = 0; i < n; i++) {
    const slug = crypto.randomUUID().replace(/-/g, "").slice(0, 22);
    slugs.push(slug);
    await canary.insertToken({
      uuid: crypto.randomUUID(),
      callback_token: slug,
      kind: "http",
      generator: "git_config",
      blob_uuid: null,
      content_class: null,
      decky_name: "ws-01",
      decky_uuid: "d1",
      placement_path: "/home/a/.git/config",
      persona: null,
      http_base: "http://192.0.2.1",
      dns_zone: "",
      state: "planted",
      trigger_count: 0,
      last_triggered_at: null,
      last_error: null,
    });
  }
  return slugs;
}

/**
 * recordTriggers per batch of 512 on three loads: ordinary hits (distinct
 * sources over 200 tokens, a new minute every batch, so every batch reads
 * its windows back), one source flooding one token, and 2,000 spoofed
 * sources flooding one token (both over 10 s).
 */
async function benchRollups(label: string, handle: DbHandle, batches: number): Promise<void> {
  const hit = (token: string, at: number, srcIp: string): TriggerInput => ({
    tokenUuid: token,
    occurredAt: new Date(at),
    srcIp,
    userAgent: "curl/8",
    method: "GET",
    requestPath: "/c/x",
    dnsQname: null,
    dnsClientSubnet: null,
    headers: { "user-agent": "curl/8" },
  });
  const t0 = Date.parse("2026-11-18T14:00:00.000Z");
  const loads: [string, (tokens: string[], b: number, i: number) => TriggerInput][] = [
    [
      "ordinary",
      (tokens, b, i) =>
        hit(tokens[i % tokens.length], t0 + b * 60_000 + i, `10.${b}.${i >> 8}.${i & 255}`),
    ],
    ["1 source", (tokens, b, i) => hit(tokens[0], t0 + (b * BATCH + i) % 10_000, "192.0.2.9")],
    [
      "2,000 sources",
      (tokens, b, i) => {
        const n = (b * BATCH + i) % 2000;
        return hit(tokens[0], t0 + (b * BATCH + i) % 10_000, `10.${n >> 8}.${n & 255}.1`);
      },
    ],
  ];
  for (const rollups of [true, false]) {
    const mode = rollups ? `rollups ${DEFAULT_TRIGGER_RATE}/${DEFAULT_TRIGGER_CAP}` : "no rollups";
    for (const [load, make] of loads) {
      const { canary } = createRepositories(handle, {
        triggerRollup: rollups
          ? { ratePerMinute: DEFAULT_TRIGGER_RATE, capPerMinute: DEFAULT_TRIGGER_CAP }
          : { ratePerMinute: 0, capPerMinute: 0 },
      });
      const tokens = await Promise.all(
        (await insertTokens(canary, 200)).map(async (s) =>
          (await canary.findActiveBySlug(s))!.uuid
        ),
      );
      const timings = await timeIt(
        batches,
        (b) => canary.recordTriggers(Array.from({ length: BATCH }, (_, i) => make(tokens, b, i))),
        0,
      );
      let rows = 0;
      for (const uuid of load === "ordinary" ? tokens : tokens.slice(0, 1)) {
        rows += (await canary.listTriggers(uuid, { limit: 1, offset: 0 })).total;
      }
      console.log(
        `${formatTimings(`${label}: recordTriggers ${load}, ${mode}`, timings)}  ${
          (timings.perSecond * BATCH).toFixed(0)
        } hits/s  ${rows} rows for ${batches * BATCH} hits`,
      );
    }
  }
}

async function run(label: string, handle: DbHandle, batches: number): Promise<void> {
  const repos = createRepositories(handle);
  const slugs = await insertTokens(repos.canary, 200);
  const tokens = await Promise.all(slugs.map((s) => repos.canary.findActiveBySlug(s)));
  const insert = await timeIt(2000, (i) =>
    repos.canary.recordTrigger({
      tokenUuid: tokens[i % tokens.length]!.uuid,
      occurredAt: new Date(),
      srcIp: "192.0.2.9",
      userAgent: "curl/8",
      method: "GET",
      requestPath: "/c/x",
      dnsQname: null,
      dnsClientSubnet: null,
      headers: { "user-agent": "curl/8" },
    }));
  console.log(formatTimings(`${label}: recordTrigger (tx insert+update)`, insert));
  const select = await timeIt(5000, (i) => repos.canary.findActiveBySlug(slugs[i % slugs.length]));
  console.log(formatTimings(`${label}: findActiveBySlug`, select));
  for (let i = 0; i < 2000; i++) {
    await repos.syntheticFiles.upsert({
      deckyUuid: `d${i % 20}`,
      path: `/home/u/f${i}.txt`,
      persona: "p",
      contentClass: "note",
      at: new Date().toISOString(),
      lastModified: new Date().toISOString(),
      contentHash: "h",
      body: "body ".repeat(50),
    });
  }
  const pick = await timeIt(3000, () => repos.syntheticFiles.pickEditCandidate(Math.random));
  console.log(formatTimings(`${label}: pickEditCandidate (2k rows)`, pick));
  await benchRollups(label, handle, batches);
}

const dir = await Deno.makeTempDir({ prefix: "bench-db-" });
{
  await using sqlite = await openMigratedDatabase(`sqlite:${dir}/bench.db`);
  await run("SQLite", sqlite, 40);
}
await Deno.remove(dir, { recursive: true });

const why = mariaDbUnavailable();
if (why) console.log(`MariaDB: skipped (${why})`);
else {
  await using server = await startMariaDb();
  await using maria = await openMigratedDatabase(await server.createDatabase("bench"));
  await run("MariaDB", maria, 12);
}
