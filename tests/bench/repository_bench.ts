/**
 * Repository throughput on SQLite (file, WAL) and on a real MariaDB:
 * trigger inserts (one transaction each), token lookups by slug, and
 * edit-candidate picks.
 */
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { DbHandle } from "../../core/db/mod.ts";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

async function run(label: string, handle: DbHandle): Promise<void> {
  const repos = createRepositories(handle);
  const slugs: string[] = [];
  for (let i = 0; i < 200; i++) {
    const slug = crypto.randomUUID().replace(/-/g, "").slice(0, 22);
    slugs.push(slug);
    await repos.canary.insertToken({
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
}

const dir = await Deno.makeTempDir({ prefix: "bench-db-" });
{
  await using sqlite = await openMigratedDatabase(`sqlite:${dir}/bench.db`);
  await run("SQLite", sqlite);
}
await Deno.remove(dir, { recursive: true });

const why = mariaDbUnavailable();
if (why) console.log(`MariaDB: skipped (${why})`);
else {
  await using server = await startMariaDb();
  await using maria = await openMigratedDatabase(await server.createDatabase("bench"));
  await run("MariaDB", maria);
}
