import assert from "node:assert/strict";
import {
  createRepositories,
  openDatabase,
  openMigratedDatabase,
  readChangeStamp,
} from "../../../core/db/mod.ts";
import { makeTokenInput } from "../../web/_token_fixture.ts";

Deno.test("readChangeStamp() moves on a write here and on a commit by another connection, and only then", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stamp-" });
  try {
    await using here = await openMigratedDatabase(`sqlite:${dir}/decnet.db`);
    await using other = await openMigratedDatabase(`sqlite:${dir}/decnet.db`);
    const first = await readChangeStamp(here);
    assert.notEqual(first, null);
    await createRepositories(here).canary.listTokens({ limit: 10, offset: 0 });
    assert.equal(await readChangeStamp(here), first, "a read changes nothing");

    await createRepositories(other).canary.insertToken(makeTokenInput());
    const afterOther = await readChangeStamp(here);
    assert.notEqual(afterOther, first, "another connection committed");

    await createRepositories(here).canary.setTokenState(makeTokenInput().uuid, "revoked");
    const afterHere = await readChangeStamp(here);
    assert.notEqual(afterHere, afterOther, "this connection wrote");
    assert.equal(await readChangeStamp(here), afterHere);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readChangeStamp() is null on MySQL/MariaDB, which cannot tell (nothing is reused there)", async () => {
  const handle = await openDatabase("mysql://decnet:secret@127.0.0.1:9/decnet");
  try {
    assert.equal(await readChangeStamp(handle), null);
  } finally {
    await handle.close();
  }
});
