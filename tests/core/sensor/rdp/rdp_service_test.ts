import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { NEG_STATE, ntlmFromBlob, spnegoResponse } from "../../../../core/sensor/ntlmssp/mod.ts";
import { rdpService } from "../../../../core/sensor/rdp/rdp_service.ts";
import { encodeTsRequest, parseTsRequest } from "../../../../core/sensor/rdp/ts_request.ts";
import type { SensorEvent } from "../../../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../../../core/sensor/serve_sensor.ts";
import { waitUntil } from "../../../infra/wait_until.ts";
import {
  assertV2LineCracks,
  makeAuthenticate,
  makeNegotiate,
  ntlmV2Response,
  parseChallenge,
} from "../ntlmssp/_ntlm_fixtures.ts";
import { connectionRequest, rdpConnect } from "./_rdp_client.ts";

const PASSWORD = "Winter2026!";
// What FreeRDP 2 asks for: NTLMv2 with sealing, signing, key exchange, version.
const CLIENT_FLAGS = 0xe2088235;
const SEAL = 0x20;
/** Windows' answer selecting PROTOCOL_HYBRID (MS-RDPBCGR 4.1.2, flags of Server 2016 and later). */
const CONFIRM_HYBRID = [3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0x1f, 8, 0, 2, 0, 0, 0];

async function withSensor(
  fn: (port: number, events: SensorEvent[]) => Promise<void>,
): Promise<void> {
  const events: SensorEvent[] = [];
  const errors: unknown[] = [];
  await using sensor = serveSensor({
    decky: "ts01",
    hostname: "127.0.0.1",
    services: [{ service: rdpService, options: { port: 0, hostname: "ts01" } }],
    sink: (e) => events.push(e),
    onError: (_s, e) => errors.push(e),
  });
  await fn(sensor.ports.get("rdp")!, events);
  await waitUntil(() =>
    events.filter((e) => e.kind === "disconnect").length ===
      events.filter((e) => e.kind === "connect").length
  );
  assert.deepEqual(errors.map(String), []);
}

/** The AUTHENTICATE a client with PASSWORD sends to this CHALLENGE. */
function authenticateFor(challenge: Uint8Array, username: string): Uint8Array {
  const view = new DataView(challenge.buffer, challenge.byteOffset, challenge.byteLength);
  const infoLength = view.getUint16(40, true);
  const infoOffset = view.getUint32(44, true);
  const targetInfo = challenge.subarray(infoOffset, infoOffset + infoLength);
  const serverChallenge = challenge.subarray(24, 32);
  return makeAuthenticate({
    username,
    domain: "",
    workstation: "KALI",
    lm: new Uint8Array(24),
    nt: ntlmV2Response(PASSWORD, { username, domain: "" }, serverChallenge, targetInfo),
    flags: CLIENT_FLAGS,
  });
}

Deno.test("rdpService confirms CredSSP as Windows does and refuses an NTLMv2 logon with STATUS_LOGON_FAILURE", async () => {
  await withSensor(async (port, events) => {
    const client = await rdpConnect(
      port,
      connectionRequest({ cookie: "Cookie: mstshash=alice", protocols: 3 }),
    );
    try {
      assert.deepEqual([...client.confirm], CONFIRM_HYBRID);
      const credssp = await client.startTls();
      const certificate = new X509Certificate(credssp.certificate);
      assert.equal(certificate.subject, "CN=TS01");
      const answer = await credssp.exchange(
        encodeTsRequest({ version: 6, negoToken: makeNegotiate(CLIENT_FLAGS) }),
      );
      const challengeRequest = parseTsRequest(answer!)!;
      assert.equal(challengeRequest.version, 6);
      const challenge = parseChallenge(challengeRequest.negoToken!);
      assert.ok(challenge.flags & SEAL, "sealing granted, as CredSSP needs");
      assert.deepEqual([...challenge.version], [10, 0, 0x7c, 0x4f, 0, 0, 0, 15]);
      const names = challenge.targetInfo.filter(([id]) => id >= 1 && id <= 4)
        .map(([, v]) => new TextDecoder("utf-16le").decode(v));
      assert.deepEqual(names, ["TS01", "TS01", "TS01", "TS01"]);
      assert.ok(challenge.targetInfo.some(([id]) => id === 7), "a timestamp pair");

      const failure = await credssp.exchange(encodeTsRequest({
        version: 6,
        negoToken: authenticateFor(challengeRequest.negoToken!, "alice"),
        pubKeyAuth: new Uint8Array(32),
        clientNonce: new Uint8Array(32),
      }));
      const refused = parseTsRequest(failure!)!;
      assert.equal(refused.errorCode, 0xc000006d);
      assert.equal(refused.negoToken, undefined);
      assert.equal(await credssp.exchange(new Uint8Array(0)), null, "then the connection ends");
    } finally {
      client.close();
    }
    await waitUntil(() => events.some((e) => e.kind === "disconnect"));
    const request = events.find((e) => e.kind === "request")!;
    assert.equal(request.username, "alice");
    assert.equal(request.cookie, "Cookie: mstshash=alice");
    assert.equal(request.client_ident, "RDP_NEG_REQ protocols=0x00000003 flags=0x00");
    const attempt = events.find((e) => e.kind === "auth_attempt")!;
    assert.equal(attempt.username, "alice");
    assert.equal(attempt.workstation, "KALI");
    assert.equal(attempt.method, "ntlmssp");
    assert.equal(attempt.accepted, false);
    const credential = events.find((e) => e.kind === "credential")!;
    assert.equal(credential.secret_kind, "ntlmssp_v2");
    assert.equal(credential.hashcat_mode, 5600);
    assertV2LineCracks(credential.hashcat_line as string, PASSWORD);
  });
});

Deno.test("rdpService answers SPNEGO-wrapped NTLMSSP in SPNEGO, as mstsc gets it", async () => {
  await withSensor(async (port, events) => {
    const client = await rdpConnect(port, connectionRequest({ protocols: 0x0b }));
    try {
      assert.equal(client.confirm[15], 8, "PROTOCOL_HYBRID_EX selected when offered");
      const credssp = await client.startTls();
      // A negTokenResp carrying the NEGOTIATE is a token ntlmFromBlob accepts as SPNEGO.
      const wrapped = spnegoResponse(NEG_STATE.acceptIncomplete, makeNegotiate(CLIENT_FLAGS));
      const answer = parseTsRequest(
        (await credssp.exchange(
          encodeTsRequest({ version: 6, negoToken: wrapped }),
        ))!,
      )!;
      const found = ntlmFromBlob(answer.negoToken!)!;
      assert.equal(found.spnego, true);
      const reply = spnegoResponse(
        NEG_STATE.acceptIncomplete,
        authenticateFor(found.token, "bob"),
      );
      const refused = parseTsRequest(
        (await credssp.exchange(
          encodeTsRequest({ version: 6, negoToken: reply }),
        ))!,
      )!;
      assert.equal(refused.errorCode, 0xc000006d);
    } finally {
      client.close();
    }
    await waitUntil(() => events.some((e) => e.kind === "credential"));
    const credential = events.find((e) => e.kind === "credential")!;
    assert.equal(credential.username, "bob");
    assertV2LineCracks(credential.hashcat_line as string, PASSWORD);
  });
});

Deno.test("rdpService ends CredSSP version 2 without errorCode, which that version lacks", async () => {
  await withSensor(async (port, events) => {
    const client = await rdpConnect(port, connectionRequest({ protocols: 3 }));
    try {
      const credssp = await client.startTls();
      const answer = parseTsRequest(
        (await credssp.exchange(
          encodeTsRequest({ version: 2, negoToken: makeNegotiate(CLIENT_FLAGS) }),
        ))!,
      )!;
      const end = await credssp.exchange(encodeTsRequest({
        version: 2,
        negoToken: authenticateFor(answer.negoToken!, "carol"),
      }));
      assert.equal(end, null);
    } finally {
      client.close();
    }
    await waitUntil(() => events.some((e) => e.kind === "credential"));
  });
});

Deno.test("rdpService answers each X.224 negotiation as a Windows Server requiring NLA", async (t) => {
  await withSensor(async (port) => {
    const cases: [string, Uint8Array, number[]][] = [
      [
        "no RDP_NEG_REQ: a bare Connection Confirm",
        connectionRequest(),
        [3, 0, 0, 11, 6, 0xd0, 0, 0, 0x12, 0x34, 0],
      ],
      [
        "TLS only: HYBRID_REQUIRED_BY_SERVER",
        connectionRequest({ protocols: 1 }),
        [3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 3, 0, 8, 0, 5, 0, 0, 0],
      ],
      [
        "Standard RDP Security only: HYBRID_REQUIRED_BY_SERVER",
        connectionRequest({ protocols: 0 }),
        [3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 3, 0, 8, 0, 5, 0, 0, 0],
      ],
      [
        "TLS and CredSSP: CredSSP",
        connectionRequest({ cookie: "Cookie: mstshash=nmap", protocols: 3 }),
        CONFIRM_HYBRID,
      ],
    ];
    for (const [name, request, expected] of cases) {
      await t.step(name, async () => {
        const client = await rdpConnect(port, request);
        try {
          assert.deepEqual([...client.confirm], expected);
        } finally {
          client.close();
        }
      });
    }
  });
});

Deno.test("rdpService matches nmap's Microsoft Terminal Services fingerprints", async () => {
  // nmap-service-probes: TerminalServerCookie and TerminalServer probes and their matches.
  const probes: [Uint8Array, RegExp][] = [
    [
      latin1("\x03\0\0*%\xe0\0\0\0\0\0Cookie: mstshash=nmap\r\n\x01\0\x08\0\x03\0\0\0"),
      // deno-lint-ignore no-control-regex -- nmap's own match line, byte for byte
      /^\x03\0\0\x13\x0e\xd0\0\0\x124\0\x02\x1f\x08\0\x02\0\0\0/,
    ],
    // deno-lint-ignore no-control-regex -- nmap's own match line, byte for byte
    [latin1("\x03\0\0\x0b\x06\xe0\0\0\0\0\0"), /^\x03\0\0\x0b\x06\xd0\0\0\x12.\0$/s],
  ];
  await withSensor(async (port) => {
    for (const [probe, match] of probes) {
      const client = await rdpConnect(port, probe);
      try {
        assert.match(String.fromCharCode(...client.confirm), match);
      } finally {
        client.close();
      }
    }
  });
});

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

Deno.test("rdpService names itself after the decky when the fleet file gives no host name", async () => {
  await using sensor = serveSensor({
    decky: "ts-02",
    hostname: "127.0.0.1",
    services: [{ service: rdpService, options: { port: 0 } }],
    sink: () => {},
  });
  const client = await rdpConnect(sensor.ports.get("rdp")!, connectionRequest({ protocols: 3 }));
  try {
    const credssp = await client.startTls();
    assert.equal(new X509Certificate(credssp.certificate).subject, "CN=TS-02");
    const answer = parseTsRequest(
      (await credssp.exchange(
        encodeTsRequest({ version: 6, negoToken: makeNegotiate(CLIENT_FLAGS) }),
      ))!,
    )!;
    const [, computer] = parseChallenge(answer.negoToken!).targetInfo.find(([id]) => id === 1)!;
    assert.equal(new TextDecoder("utf-16le").decode(computer), "TS-02");
    credssp.close();
  } finally {
    client.close();
  }
});
