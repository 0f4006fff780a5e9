import assert from "node:assert/strict";
import { join } from "node:path";
import { openDatabase } from "../../../core/db/mod.ts";

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
