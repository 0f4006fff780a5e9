import assert from "node:assert/strict";
import { join } from "node:path";
import { openDatabase } from "../../../core/db/mod.ts";
import { DatabaseSync } from "node:sqlite";
import { Kysely, sql } from "kysely";
import { nodeSqliteDialect, type NodeSqliteHandle } from "../../../core/db/node_sqlite_dialect.ts";

Deno.test("nodeSqliteDialect() transactions that read before they write are not failed by another connection's write", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const url = `sqlite:${join(dir, "t.db")}`;
    await using a = await openDatabase(url);
    // The other connection waits only briefly: this test runs both on one thread.
    await using b = await openDatabase(url, { busyTimeoutMs: 50 });
    await a.db.schema.createTable("t").addColumn("v", "integer").execute();
    let otherWrite = "not tried";
    await a.db.transaction().execute(async (trx) => {
      await trx.selectFrom("t" as never).selectAll().execute();
      try {
        await b.db.insertInto("t" as never).values({ v: 1 } as never).execute();
        otherWrite = "written";
      } catch (e) {
        otherWrite = (e as Error).message;
      }
      // With a deferred begin this write failed with "database is locked" (a stale snapshot).
      await trx.insertInto("t" as never).values({ v: 2 } as never).execute();
    });
    // The other connection waited for the lock instead (and gave up after its 50 ms).
    assert.equal(otherWrite, "database is locked");
    const rows = await a.db.selectFrom("t" as never).selectAll().execute();
    assert.deepEqual(rows.map((r) => ({ ...(r as object) })), [{ v: 2 }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A real in-memory database that counts how often each SQL text is prepared. */
function countingHandle(): { handle: NodeSqliteHandle; prepared: Map<string, number> } {
  const sqlite = new DatabaseSync(":memory:");
  const prepared = new Map<string, number>();
  return {
    prepared,
    handle: {
      prepare(text) {
        prepared.set(text, (prepared.get(text) ?? 0) + 1);
        return sqlite.prepare(text);
      },
      close: () => sqlite.close(),
    },
  };
}

Deno.test("nodeSqliteDialect() prepares a query once and reuses it with new parameters", async () => {
  const { handle, prepared } = countingHandle();
  // deno-lint-ignore no-explicit-any
  await using db = new Kysely<any>({ dialect: nodeSqliteDialect(handle) });
  await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, flag INTEGER)`.execute(db);
  for (const [id, name] of [[1, "a"], [2, "b"], [3, "c"]] as const) {
    await db.insertInto("t").values({ id, name, flag: id === 2 }).execute();
  }
  const names: string[] = [];
  for (const id of [3, 1, 2, 9]) {
    const row = await db.selectFrom("t").select("name").where("id", "=", id).executeTakeFirst();
    names.push(row?.name ?? "none");
  }
  assert.deepEqual(names, ["c", "a", "b", "none"]);
  const select = [...prepared].filter(([text]) => text.startsWith("select"));
  const insert = [...prepared].filter(([text]) => text.startsWith("insert"));
  assert.deepEqual(select.map(([, n]) => n), [1]);
  assert.deepEqual(insert.map(([, n]) => n), [1]);
  // Booleans are still bound as 0/1.
  const flagged = await db.selectFrom("t").select("id").where("flag", "=", true).execute();
  assert.deepEqual(flagged.map((r) => r.id), [2]);
});

Deno.test("nodeSqliteDialect() keeps a bounded number of statements, forgetting the oldest", async () => {
  const { handle, prepared } = countingHandle();
  // deno-lint-ignore no-explicit-any
  await using db = new Kysely<any>({ dialect: nodeSqliteDialect(handle) });
  const first = sql`SELECT 0 AS n`;
  await first.execute(db);
  await first.execute(db);
  assert.equal(prepared.get("SELECT 0 AS n"), 1);
  // Distinct texts, as `IN (?, ?, …)` lists of every length would make.
  for (let i = 1; i <= 300; i++) await sql.raw(`SELECT ${i} AS n`).execute(db);
  await first.execute(db);
  assert.equal(prepared.get("SELECT 0 AS n"), 2);
});
