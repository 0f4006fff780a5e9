import assert from "node:assert/strict";
import { decode } from "@nats-io/jwt";
import type { Account, Operator } from "@nats-io/jwt";
import {
  createSwarmAuthority,
  publicKeyOf,
  renderNatsConfig,
  signAuthorityJwts,
} from "../../../core/swarm/mod.ts";

Deno.test("signAuthorityJwts() chains operator, accounts and users by their keys", async () => {
  const authority = createSwarmAuthority();
  const revoked = "U" + "A".repeat(55);
  const jwts = await signAuthorityJwts(authority, { revocations: { [revoked]: 1_800_000_000 } });
  const operator = decode<Operator>(jwts.operator);
  assert.equal(operator.iss, publicKeyOf(authority.operatorSeed));
  assert.equal(operator.sub, publicKeyOf(authority.operatorSeed));
  assert.deepEqual(operator.nats.signing_keys, [publicKeyOf(authority.operatorSigningSeed)]);
  assert.equal(operator.nats.system_account, jwts.systemAccountPublicKey);

  const account = decode<Account>(jwts.account);
  assert.equal(account.iss, publicKeyOf(authority.operatorSigningSeed));
  assert.equal(account.sub, publicKeyOf(authority.accountSeed));
  assert.deepEqual(account.nats.signing_keys, [publicKeyOf(authority.accountSigningSeed)]);
  assert.deepEqual(account.nats.revocations, { [revoked]: 1_800_000_000 });
  assert.equal(account.nats.limits?.conn, -1, "no connection limit (a missing one means zero)");
  assert.equal(account.nats.limits?.disk_storage, -1, "JetStream on");
  const system = decode<Account>(jwts.systemAccount);
  assert.equal(system.iss, publicKeyOf(authority.operatorSigningSeed));
  assert.equal(system.nats.limits?.disk_storage, undefined, "no JetStream in the system account");

  assert.match(jwts.masterUserCreds, /-----BEGIN NATS USER JWT-----/);
  assert.ok(jwts.masterUserCreds.includes(authority.masterUserSeed));
  assert.ok(jwts.systemUserCreds.includes(authority.systemUserSeed));
});

Deno.test("renderNatsConfig() requires TLS, trusts the operator and takes live account updates", async () => {
  const jwts = await signAuthorityJwts(createSwarmAuthority());
  const text = renderNatsConfig(jwts, {
    listen: "0.0.0.0:4222",
    certFile: "/etc/nats/server.pem",
    keyFile: "/etc/nats/server.key",
    dataDir: "/var/lib/nats",
  });
  assert.match(text, /^listen: "0\.0\.0\.0:4222"$/m);
  assert.ok(
    text.includes('tls {\n  cert_file: "/etc/nats/server.pem"\n  key_file: "/etc/nats/server.key"'),
  );
  assert.ok(text.includes(`operator: "${jwts.operator}"`));
  assert.ok(text.includes(`system_account: ${jwts.systemAccountPublicKey}`));
  assert.ok(text.includes('resolver {\n  type: full\n  dir: "/var/lib/nats/jwt"'));
  assert.ok(text.includes(`${jwts.accountPublicKey}: "${jwts.account}"`));
  assert.ok(text.includes('jetstream {\n  store_dir: "/var/lib/nats/jetstream"'));
  // Only JWTs and public keys: no seed of the authority.
  assert.doesNotMatch(text, /\bS[OAU][A-Z2-7]{50,}/);
});
