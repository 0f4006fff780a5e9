import assert from "node:assert/strict";
import { type Kysely, sql } from "kysely";
import { openDatabase } from "../../../core/db/mod.ts";
import { m001Initial } from "../../../core/db/migrations/m001_initial.ts";

const EXPECTED = new URL("../../testdata/db/m001_sqlite_schema.txt", import.meta.url);

Deno.test("m001Initial() creates the landed schema, byte for byte (SQLite)", async () => {
  await using handle = await openDatabase("sqlite::memory:");
  await m001Initial("sqlite").up(handle.db as unknown as Kysely<unknown>);
  const rows = await sql<{ type: string; name: string; sql: string | null }>`
    SELECT type, name, sql FROM sqlite_master ORDER BY type, name`.execute(handle.db);
  const dump = rows.rows.map((r) => `sqlite ${r.type} ${r.name}: ${r.sql}`).join("\n") + "\n";
  assert.equal(dump, await Deno.readTextFile(EXPECTED), "an applied migration never changes");
});
