import assert from "node:assert/strict";
import { decode } from "@nats-io/jwt";
import type { ClaimsData, User } from "@nats-io/jwt";
import { createUser } from "@nats-io/nkeys";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import {
  createSwarmAuthority,
  enrollSwarmHost,
  JoinRefusedError,
  publicKeyOf,
  redeemJoinToken,
  swarmIssuerOf,
} from "../../../core/swarm/mod.ts";

const T0 = new Date("2026-12-01T10:00:00.000Z");

async function setup() {
  const handle = await openMigratedDatabase("sqlite::memory:");
  const clock = { now: T0 };
  const { swarmHosts } = createRepositories(handle, { clock: () => clock.now });
  const authority = createSwarmAuthority();
  const issuer = swarmIssuerOf(authority);
  const enroll = (name: string, ttlSeconds = 600) =>
    enrollSwarmHost(swarmHosts, name, {
      ttlSeconds,
      now: clock.now,
      random: (b) => crypto.getRandomValues(b),
    });
  return { handle, clock, swarmHosts, authority, issuer, enroll };
}

Deno.test("redeemJoinToken() signs a user JWT held to the agent's own subjects", async () => {
  const s = await setup();
  await using _ = s.handle;
  const { token } = await s.enroll("alpha");
  const user = createUser();
  const { row, userJwt } = await redeemJoinToken(s.swarmHosts, s.issuer, {
    token,
    publicKey: user.getPublicKey(),
    version: "0.1.0",
  }, T0);
  assert.equal(row.public_key, user.getPublicKey());
  const claims = decode<User>(userJwt) as ClaimsData<User>;
  assert.equal(claims.sub, user.getPublicKey());
  assert.equal(claims.iss, publicKeyOf(s.authority.accountSigningSeed));
  assert.equal(claims.nats.issuer_account, publicKeyOf(s.authority.accountSeed));
  assert.deepEqual(claims.nats.pub?.allow, ["decnet.agent.alpha.>"]);
  assert.deepEqual(claims.nats.sub?.allow, ["decnet.cmd.alpha.>", "_INBOX.alpha.>"]);
  assert.deepEqual(claims.nats.resp, { max: 1, ttl: 60_000_000_000 });
});

Deno.test("redeemJoinToken() refuses used, expired, unknown and revoked tokens clearly", async (t) => {
  const s = await setup();
  await using _ = s.handle;
  const key = () => createUser().getPublicKey();
  const refused = async (token: string, status: number, message: RegExp) => {
    const error = await redeemJoinToken(s.swarmHosts, s.issuer, {
      token,
      publicKey: key(),
      version: null,
    }, s.clock.now).then(() => undefined, (e) => e);
    assert.ok(error instanceof JoinRefusedError, String(error));
    assert.equal(error.status, status);
    assert.match(error.message, message);
  };

  await t.step("used", async () => {
    const { token } = await s.enroll("used");
    await redeemJoinToken(s.swarmHosts, s.issuer, { token, publicKey: key(), version: null }, T0);
    await refused(token, 410, /^Join token refused: it has been used already$/);
  });
  await t.step("expired", async () => {
    const { token } = await s.enroll("late", 60);
    s.clock.now = new Date(T0.getTime() + 60_000);
    await refused(token, 410, /^Join token refused: it expired at 2026-12-01T10:01:00.000Z$/);
    s.clock.now = T0;
  });
  await t.step("replaced by a newer token, or never issued", async () => {
    const { token: old } = await s.enroll("again");
    await s.enroll("again");
    await refused(old, 401, /^Join token refused: it is not valid$/);
    await refused(`nobody.${old.split(".")[1]}`, 401, /not valid/);
  });
  await t.step("revoked before joining", async () => {
    const { token } = await s.enroll("gone");
    await s.swarmHosts.revoke("gone");
    await refused(token, 403, /^Join refused: host gone is revoked$/);
  });
  await t.step("a malformed token or key is a SyntaxError and spends nothing", async () => {
    const { token } = await s.enroll("shape");
    await assert.rejects(
      redeemJoinToken(s.swarmHosts, s.issuer, { token: "x", publicKey: key(), version: null }, T0),
      SyntaxError,
    );
    await assert.rejects(
      redeemJoinToken(s.swarmHosts, s.issuer, { token, publicKey: "UNOPE", version: null }, T0),
      /Bad public key "UNOPE": expected an nkey user public key/,
    );
    // An account key is not a user key.
    await assert.rejects(
      redeemJoinToken(s.swarmHosts, s.issuer, {
        token,
        publicKey: publicKeyOf(s.authority.accountSeed),
        version: null,
      }, T0),
      SyntaxError,
    );
    assert.equal((await s.swarmHosts.get("shape"))?.enrolled_at, null);
  });
});
