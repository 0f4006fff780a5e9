import assert from "node:assert/strict";
import {
  ensureSwarmAuthority,
  publicKeyOf,
  readSwarmIssuer,
  swarmFiles,
} from "../../../core/swarm/mod.ts";

Deno.test("ensureSwarmAuthority() creates the keys once, 0600, and keeps them", async () => {
  const home = await Deno.makeTempDir();
  try {
    assert.equal(await readSwarmIssuer(home), null);
    const first = await ensureSwarmAuthority(home);
    assert.equal(first.created, true);
    const files = swarmFiles(home);
    for (const path of [files.authority, files.issuer]) {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600, path);
    }
    assert.equal((await Deno.stat(files.dir)).mode! & 0o777, 0o700);
    const second = await ensureSwarmAuthority(home);
    assert.equal(second.created, false);
    assert.deepEqual(second.authority, first.authority);
    assert.deepEqual(await readSwarmIssuer(home), {
      accountPublicKey: publicKeyOf(first.authority.accountSeed),
      accountSigningSeed: first.authority.accountSigningSeed,
    });
    assert.match(publicKeyOf(first.authority.operatorSeed), /^O/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("ensureSwarmAuthority() refuses a damaged file without naming a secret", async () => {
  const home = await Deno.makeTempDir();
  try {
    const { authority } = await ensureSwarmAuthority(home);
    const damaged = { ...authority, accountSigningSeed: authority.operatorSeed };
    await Deno.writeTextFile(swarmFiles(home).authority, JSON.stringify(damaged));
    const error = await ensureSwarmAuthority(home).then(() => undefined, (e) => e);
    assert.ok(error instanceof SyntaxError);
    assert.match(error.message, /accountSigningSeed is not an nkey seed starting SA/);
    assert.ok(!error.message.includes(authority.operatorSeed));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
