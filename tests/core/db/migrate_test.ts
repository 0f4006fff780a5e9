import assert from "node:assert/strict";
import {
  migrateToLatest,
  migrationStatus,
  openDatabase,
  parseDbUrl,
  resetDatabase,
} from "../../../core/db/mod.ts";

Deno.test("migrateToLatest() applies every migration once", async () => {
  await using handle = await openDatabase("sqlite::memory:");
  const first = await migrateToLatest(handle);
  assert.equal(first.error, undefined);
  assert.ok(first.results.length >= 1);
  const second = await migrateToLatest(handle);
  assert.deepEqual(second.results, []);
  const status = await migrationStatus(handle);
  assert.ok(status.every((s) => s.applied));
});

Deno.test("migrateToLatest() leaves no topology table (010 drops them)", async () => {
  await using handle = await openDatabase("sqlite::memory:");
  await migrateToLatest(handle);
  const tables = (await handle.db.introspection.getTables()).map((t) => t.name);
  assert.ok(tables.includes("decky_shards"), "shard rows stay");
  assert.ok(!tables.includes("topologies"));
  assert.ok(!tables.includes("topology_deckies"));
});

Deno.test("resetDatabase() drops every table so migrations run again", async () => {
  await using handle = await openDatabase("sqlite::memory:");
  await migrateToLatest(handle);
  await resetDatabase(handle);
  const status = await migrationStatus(handle);
  assert.ok(status.every((s) => !s.applied));
});

Deno.test("openDatabase() turns on WAL and foreign keys for SQLite files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await using handle = await openDatabase(`sqlite:${dir}/sub/decnet.db`);
    await migrateToLatest(handle);
    const { sql } = await import("kysely");
    const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(handle.db);
    assert.equal(mode.rows[0].journal_mode, "wal");
    const fk = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(handle.db);
    assert.equal(fk.rows[0].foreign_keys, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseDbUrl() reads sqlite and mysql URLs and rejects others", () => {
  assert.deepEqual(parseDbUrl("sqlite:/var/lib/decnet/d.db"), {
    engine: "sqlite",
    path: "/var/lib/decnet/d.db",
  });
  assert.deepEqual(parseDbUrl("mysql://u:p%40ss@db.example:3307/decnet"), {
    engine: "mysql",
    host: "db.example",
    port: 3307,
    user: "u",
    password: "p@ss",
    database: "decnet",
  });
  assert.throws(() => parseDbUrl("postgres://x/y"), /unsupported scheme/);
  assert.throws(() => parseDbUrl("mysql://u:p@host"), /missing database/);
});
