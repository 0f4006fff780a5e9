import assert from "node:assert/strict";
import { hassh, parseKexInit } from "../../../../core/sensor/ssh/mod.ts";

/** A KEXINIT payload: message 20, a cookie, ten name-lists, first_kex_packet_follows, reserved. */
function kexInitPayload(lists: string[]): Uint8Array {
  const parts: number[] = [20, ...new Array(16).fill(7)];
  for (const list of lists) {
    parts.push(0, 0, (list.length >> 8) & 0xff, list.length & 0xff);
    for (const c of list) parts.push(c.charCodeAt(0));
  }
  parts.push(0, 0, 0, 0, 0);
  return new Uint8Array(parts);
}

// Salesforce's published fingerprint for OpenSSH 7.8 (hassh_fingerprints.json, alpine edge).
const OPENSSH_78 = {
  kex:
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,ext-info-c",
  enc:
    "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
  mac:
    "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
  cmp: "none,zlib@openssh.com,zlib",
  hassh: "ec7378c1a92f5a8dde7e8b7a1ddf33d1",
};

Deno.test("hassh() matches the published fingerprint of OpenSSH 7.8", () => {
  const { kex, enc, mac, cmp } = OPENSSH_78;
  const payload = kexInitPayload([kex, "ssh-ed25519", enc, enc, mac, mac, cmp, cmp, "", ""]);
  const result = hassh(parseKexInit(payload));
  assert.equal(result.hassh, OPENSSH_78.hassh);
  assert.equal(result.hassh_algorithms, `${kex};${enc};${mac};${cmp}`);
});

Deno.test("hassh() uses the client-to-server lists only", () => {
  const payload = kexInitPayload(["k", "h", "e1", "e2", "m1", "m2", "c1", "c2", "", ""]);
  assert.equal(hassh(parseKexInit(payload)).hassh_algorithms, "k;e1;m1;c1");
});

Deno.test("parseKexInit() splits name-lists and keeps empty ones empty", () => {
  const kex = parseKexInit(kexInitPayload(["a,b", "h", "e", "e", "m", "m", "c", "c", "", "x"]));
  assert.deepEqual(kex.kex, ["a", "b"]);
  assert.deepEqual(kex.languagesC2s, []);
  assert.deepEqual(kex.languagesS2c, ["x"]);
});

Deno.test("parseKexInit() throws SyntaxError on other messages and truncated lists", () => {
  const payload = kexInitPayload(["a", "h", "e", "e", "m", "m", "c", "c", "", ""]);
  assert.throws(() => parseKexInit(new Uint8Array([21, ...payload.subarray(1)])), SyntaxError);
  assert.throws(() => parseKexInit(payload.subarray(0, 30)), SyntaxError);
  const lying = payload.slice();
  lying[17 + 2] = 0xff; // first list claims 65,281 bytes
  assert.throws(() => parseKexInit(lying), /name-list 0 claims/);
});
