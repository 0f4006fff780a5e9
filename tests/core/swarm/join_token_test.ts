import assert from "node:assert/strict";
import { hashJoinSecret, mintJoinToken, parseJoinToken } from "../../../core/swarm/mod.ts";

const fixed = (b: Uint8Array) => b.fill(7);

Deno.test("mintJoinToken() makes NAME.SECRET that parseJoinToken() splits back", () => {
  const minted = mintJoinToken("dmz-1", fixed);
  assert.match(minted.token, /^dmz-1\.[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(parseJoinToken(minted.token), { name: "dmz-1", secret: minted.secret });
  assert.notEqual(mintJoinToken("dmz-1", (b) => crypto.getRandomValues(b)).secret, minted.secret);
});

Deno.test("parseJoinToken() refuses anything but NAME.SECRET", async (t) => {
  const good = mintJoinToken("a", fixed).secret;
  for (
    const bad of [
      "",
      "nodot",
      `.${good}`,
      `Bad.${good}`,
      `a.${good}x`,
      `a.b.${good}`,
      `a.${good.slice(1)}`,
      `a*.${good}`,
    ]
  ) {
    await t.step(JSON.stringify(bad), () => {
      assert.throws(() => parseJoinToken(bad), SyntaxError);
    });
  }
});

Deno.test("hashJoinSecret() is sha256 hex of the secret", async () => {
  assert.equal(
    await hashJoinSecret("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
