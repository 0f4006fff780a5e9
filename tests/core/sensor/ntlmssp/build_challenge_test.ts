import assert from "node:assert/strict";
import { buildChallenge, parseNtlmMessage } from "../../../../core/sensor/ntlmssp/mod.ts";
import type { BuildChallengeOptions, NtlmNegotiate } from "../../../../core/sensor/ntlmssp/mod.ts";
import { hex, makeNegotiate, parseChallenge, utf16 } from "./_ntlm_fixtures.ts";

const OPTIONS: BuildChallengeOptions = {
  serverChallenge: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
  now: new Date("2026-12-01T12:00:00Z"),
  netbiosComputer: "FILES01",
  netbiosDomain: "FILES01",
  dnsComputer: "files01.corp.example",
  dnsDomain: "corp.example",
};

function negotiate(flags?: number): NtlmNegotiate {
  return parseNtlmMessage(makeNegotiate(flags)) as NtlmNegotiate;
}

Deno.test("buildChallenge() carries the caller's challenge and clock in Samba's pair order", () => {
  const challenge = parseChallenge(buildChallenge(negotiate(), OPTIONS));
  assert.equal(hex(challenge.serverChallenge), "0102030405060708");
  assert.deepEqual(challenge.targetInfo.map(([id]) => id), [2, 1, 4, 3, 7, 0]);
  assert.equal(hex(challenge.targetInfo[3][1]), hex(utf16("files01.corp.example")));
  // 2026-12-01T12:00:00Z as FILETIME, little-endian.
  const ticks = new DataView(challenge.targetInfo[4][1].buffer).getBigUint64(0, true);
  assert.equal(ticks, (BigInt(OPTIONS.now.getTime()) + 11_644_473_600_000n) * 10_000n);
  assert.equal(hex(challenge.targetName), hex(utf16("FILES01")));
  assert.equal(hex(challenge.version), "060100000000000f");
});

Deno.test("buildChallenge() answers flags as Samba does for smbclient's NEGOTIATE", () => {
  // 0x628a8215 is what smbd 4.17 sent smbclient (tests/integration/sensor/smb_samba_test.ts).
  assert.equal(parseChallenge(buildChallenge(negotiate(0x62088215), OPTIONS)).flags, 0x628a8215);
});

Deno.test("buildChallenge() falls back to OEM and drops TargetName when not asked", () => {
  const flags = parseChallenge(buildChallenge(negotiate(0x00000200), OPTIONS)).flags;
  assert.equal(flags & 0x1, 0); // no UNICODE
  assert.equal(flags & 0x2, 0x2); // OEM
  assert.equal(flags & 0x4, 0); // no REQUEST_TARGET
  assert.equal(parseChallenge(buildChallenge(negotiate(0x00000200), OPTIONS)).targetName.length, 0);
});

Deno.test("buildChallenge() refuses a server challenge that is not 8 bytes", () => {
  assert.throws(
    () => buildChallenge(negotiate(), { ...OPTIONS, serverChallenge: new Uint8Array(7) }),
    /serverChallenge must be 8 bytes, got 7/,
  );
});
