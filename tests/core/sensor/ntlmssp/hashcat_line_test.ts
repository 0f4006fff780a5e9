import assert from "node:assert/strict";
import { hashcatLine, parseNtlmMessage } from "../../../../core/sensor/ntlmssp/mod.ts";
import type { NtlmAuthenticate } from "../../../../core/sensor/ntlmssp/mod.ts";
import { hex, makeAuthenticate, ntProofStr, unhex, utf16 } from "./_ntlm_fixtures.ts";

// MS-NLMP 4.2.4: user "User", domain "Domain", password "Password".
const SPEC_CHALLENGE = unhex("0123456789abcdef");
const SPEC_AV_PAIRS = new Uint8Array([
  ...[2, 0, 12, 0],
  ...utf16("Domain"),
  ...[1, 0, 12, 0],
  ...utf16("Server"),
  ...[0, 0, 0, 0],
]);
const SPEC_BLOB = new Uint8Array([
  ...[1, 1, 0, 0, 0, 0, 0, 0],
  ...new Uint8Array(8),
  ...new Uint8Array(8).fill(0xaa),
  ...[0, 0, 0, 0],
  ...SPEC_AV_PAIRS,
  ...[0, 0, 0, 0],
]);

function authenticate(fields: Parameters<typeof makeAuthenticate>[0]): NtlmAuthenticate {
  const message = parseNtlmMessage(makeAuthenticate(fields));
  assert.equal(message.type, 3);
  return message as NtlmAuthenticate;
}

Deno.test("ntProofStr() test helper matches MS-NLMP 4.2.4's NTLMv2 example", () => {
  const proof = ntProofStr(
    "Password",
    { username: "User", domain: "Domain" },
    new Uint8Array([...SPEC_CHALLENGE, ...SPEC_BLOB]),
  );
  assert.equal(hex(proof), "68cd0ab851e51c96aabc927bebef6a1c");
});

Deno.test("hashcatLine() gives a NetNTLMv2 line whose NTProofStr the password reproduces", () => {
  const proof = ntProofStr(
    "Password",
    { username: "User", domain: "Domain" },
    new Uint8Array([...SPEC_CHALLENGE, ...SPEC_BLOB]),
  );
  const auth = authenticate({
    username: "User",
    domain: "Domain",
    nt: new Uint8Array([...proof, ...SPEC_BLOB]),
  });
  const hash = hashcatLine(auth, SPEC_CHALLENGE)!;
  assert.equal(hash.secretKind, "ntlmssp_v2");
  assert.equal(hash.hashcatMode, 5600);
  const [user, empty, domain, challenge, ntProof, blob] = hash.hashcatLine.split(":");
  assert.deepEqual([user, empty, domain, challenge], ["User", "", "Domain", "0123456789abcdef"]);
  assert.equal(ntProof, "68cd0ab851e51c96aabc927bebef6a1c");
  assert.equal(blob, hex(SPEC_BLOB));
  // Recomputed from the line's own fields, as hashcat does.
  assert.equal(
    ntProof,
    hex(ntProofStr("Password", { username: user, domain }, unhex(challenge + blob))),
  );
});

Deno.test("hashcatLine() gives a NetNTLMv1 line for a 24-byte NT response", () => {
  const lm = unhex("aa".repeat(24)), nt = unhex("bb".repeat(24));
  const hash = hashcatLine(
    authenticate({ username: "bob", domain: "CORP", lm, nt }),
    SPEC_CHALLENGE,
  )!;
  assert.equal(hash.secretKind, "ntlmssp_v1");
  assert.equal(hash.hashcatMode, 5500);
  assert.equal(
    hash.hashcatLine,
    `bob::CORP:${"aa".repeat(24)}:${"bb".repeat(24)}:0123456789abcdef`,
  );
});

Deno.test("hashcatLine() gives nothing for an anonymous AUTHENTICATE", () => {
  const auth = authenticate({
    username: "",
    domain: "",
    lm: Uint8Array.of(0),
    nt: new Uint8Array(0),
  });
  assert.equal(hashcatLine(auth, SPEC_CHALLENGE), undefined);
});

// Debian's interpreter: impacket is a Debian package (python3-impacket).
const PYTHON = "/usr/bin/python3";
const impacketMissing = await (async () => {
  try {
    const { success } = await new Deno.Command(PYTHON, {
      args: ["-c", "import impacket.smbserver"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success ? undefined : "impacket not installed (Debian package python3-impacket)";
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "python3 not installed";
    throw e;
  }
})();

// impacket parses the same AUTHENTICATE bytes and prints its capture line.
const IMPACKET_LINE = `
import sys, binascii
from impacket.ntlm import NTLMAuthChallengeResponse
from impacket.smbserver import outputToJohnFormat
msg = NTLMAuthChallengeResponse()
msg.fromString(binascii.unhexlify(sys.argv[1]))
print(outputToJohnFormat(binascii.unhexlify(sys.argv[2]), msg['user_name'], msg['domain_name'], msg['lanman'], msg['ntlm'])['hash_string'])
`;

Deno.test({
  name: "hashcatLine() prints the same line as impacket's capture server for the same message",
  ignore: impacketMissing !== undefined,
  async fn(t) {
    const proof = ntProofStr(
      "Password",
      { username: "User", domain: "Domain" },
      new Uint8Array([...SPEC_CHALLENGE, ...SPEC_BLOB]),
    );
    const messages = {
      v2: makeAuthenticate({
        username: "User",
        domain: "Domain",
        nt: new Uint8Array([...proof, ...SPEC_BLOB]),
      }),
      v1: makeAuthenticate({
        username: "bob",
        domain: "CORP",
        lm: unhex("aa".repeat(24)),
        nt: unhex("bb".repeat(24)),
      }),
    };
    for (const [name, bytes] of Object.entries(messages)) {
      await t.step(name, async () => {
        const { stdout, success } = await new Deno.Command(PYTHON, {
          args: ["-c", IMPACKET_LINE, hex(bytes), hex(SPEC_CHALLENGE)],
          stderr: "inherit",
        }).output();
        assert.ok(success);
        const theirs = new TextDecoder().decode(stdout).trim();
        const auth = parseNtlmMessage(bytes) as NtlmAuthenticate;
        assert.equal(hashcatLine(auth, SPEC_CHALLENGE)?.hashcatLine, theirs);
      });
    }
  },
});
