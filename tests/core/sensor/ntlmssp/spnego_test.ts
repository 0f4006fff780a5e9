import assert from "node:assert/strict";
import { NEG_STATE, ntlmFromBlob, spnegoResponse } from "../../../../core/sensor/ntlmssp/spnego.ts";
import { makeNegotiate } from "../ntlmssp/_ntlm_fixtures.ts";
import { clientMessages } from "../smb/_smb_exchange.ts";

Deno.test("ntlmFromBlob() takes a raw NTLMSSP token as it is", () => {
  const token = makeNegotiate();
  assert.deepEqual(ntlmFromBlob(token), { token, spnego: false });
});

Deno.test("ntlmFromBlob() finds the mechToken in smbclient's negTokenInit", () => {
  const setup = clientMessages("smbclient_requests.hex")[1].subarray(4);
  const view = new DataView(setup.buffer, setup.byteOffset);
  const blob = setup.subarray(
    view.getUint16(64 + 12, true),
    view.getUint16(64 + 12, true) + view.getUint16(64 + 14, true),
  );
  const found = ntlmFromBlob(blob);
  assert.equal(found?.spnego, true);
  assert.equal(new TextDecoder().decode(found?.token.subarray(0, 8)), "NTLMSSP\0");
  assert.equal(found?.token[8], 1);
});

Deno.test("ntlmFromBlob() finds the responseToken in a negTokenResp", () => {
  const token = makeNegotiate();
  token[8] = 3;
  assert.deepEqual(ntlmFromBlob(spnegoResponse(NEG_STATE.acceptIncomplete, token))?.token, token);
});

Deno.test("ntlmFromBlob() gives nothing for blobs without an NTLMSSP token", async (t) => {
  const cases: [string, Uint8Array][] = [
    ["empty", new Uint8Array(0)],
    ["a length past the end", Uint8Array.of(0x60, 0x84, 0xff, 0xff, 0xff, 0xff)],
    ["a negTokenResp with only a state", spnegoResponse(NEG_STATE.reject)],
    ["random bytes", Uint8Array.of(0xa1, 0x03, 0x30, 0x01, 0x00)],
  ];
  for (const [name, blob] of cases) {
    await t.step(name, () => assert.equal(ntlmFromBlob(blob), undefined));
  }
});
