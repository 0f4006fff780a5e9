import assert from "node:assert/strict";
import { NtlmParseError, parseNtlmMessage } from "../../../../core/sensor/ntlmssp/mod.ts";
import { makeAuthenticate, makeNegotiate } from "./_ntlm_fixtures.ts";

Deno.test("parseNtlmMessage() reads a NEGOTIATE's flags", () => {
  const message = parseNtlmMessage(makeNegotiate(0x62088215));
  assert.deepEqual(message, { type: 1, flags: 0x62088215, domain: "", workstation: "" });
});

Deno.test("parseNtlmMessage() reads an AUTHENTICATE's names and responses", () => {
  const nt = Uint8Array.from({ length: 60 }, (_, i) => i);
  const message = parseNtlmMessage(
    makeAuthenticate({ username: "bob", domain: "CORP", workstation: "WS7", nt }),
  );
  assert.equal(message.type, 3);
  if (message.type !== 3) return;
  assert.equal(message.username, "bob");
  assert.equal(message.domain, "CORP");
  assert.equal(message.workstation, "WS7");
  assert.deepEqual(message.ntResponse, nt);
  assert.equal(message.anonymous, false);
});

Deno.test("parseNtlmMessage() decodes OEM names when UNICODE is not negotiated", () => {
  const message = parseNtlmMessage(makeAuthenticate({ username: "bob", flags: 0x00088206 }));
  assert.equal(message.type === 3 && message.username, "bob");
});

Deno.test("parseNtlmMessage() marks a null session as anonymous", () => {
  const message = parseNtlmMessage(
    makeAuthenticate({ username: "", domain: "", lm: Uint8Array.of(0), nt: new Uint8Array(0) }),
  );
  assert.equal(message.type === 3 && message.anonymous, true);
});

Deno.test("parseNtlmMessage() rejects malformed messages naming the field", async (t) => {
  const cases: [string, Uint8Array, RegExp][] = [
    ["no signature", new TextEncoder().encode("NTLMSSQ\0\x01\0\0\0\0\0\0\0"), /signature/],
    [
      "a CHALLENGE",
      (() => {
        const m = makeNegotiate();
        m[8] = 2;
        return m;
      })(),
      /message type 2/,
    ],
    ["a short AUTHENTICATE", makeAuthenticate().slice(0, 63), /too short/],
    [
      "a user name past the end",
      (() => {
        const m = makeAuthenticate();
        new DataView(m.buffer).setUint32(40, 0xfffffff0, true);
        return m;
      })(),
      /UserName/,
    ],
    [
      "an odd UTF-16 user name",
      (() => {
        const m = makeAuthenticate();
        new DataView(m.buffer).setUint16(36, 3, true);
        return m;
      })(),
      /odd UTF-16 length 3/,
    ],
  ];
  for (const [name, bytes, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => parseNtlmMessage(bytes),
        (e) => e instanceof NtlmParseError && message.test(e.message),
      );
    });
  }
});
