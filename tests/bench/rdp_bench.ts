/**
 * RDP sensor (issue 15): connections per second over loopback, one
 * connection each. "X.224": Connection Request with an mstshash cookie ->
 * Connection Confirm (what a scanner sees). "NLA logon": the same, then TLS
 * through the sensor's loopback TLS server and CredSSP (NEGOTIATE ->
 * CHALLENGE, NTLMv2 AUTHENTICATE -> STATUS_LOGON_FAILURE), events to a
 * counting sink. No Windows here to compare with.
 */
import { rdpService } from "../../core/sensor/rdp/rdp_service.ts";
import { encodeTsRequest, parseTsRequest } from "../../core/sensor/rdp/ts_request.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { connectionRequest, rdpConnect } from "../core/sensor/rdp/_rdp_client.ts";
import {
  makeAuthenticate,
  makeNegotiate,
  ntlmV2Response,
} from "../core/sensor/ntlmssp/_ntlm_fixtures.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const CONFIRMS = Number(Deno.env.get("BENCH_RDP_CONFIRMS") ?? 2000);
const LOGONS = Number(Deno.env.get("BENCH_RDP_LOGONS") ?? 300);
const REQUEST = connectionRequest({ cookie: "Cookie: mstshash=alice", protocols: 3 });

async function logon(port: number): Promise<void> {
  const client = await rdpConnect(port, REQUEST);
  try {
    const credssp = await client.startTls();
    const answer = await credssp.exchange(
      encodeTsRequest({ version: 6, negoToken: makeNegotiate(0xe2088235) }),
    );
    const challenge = parseTsRequest(answer!)!.negoToken!;
    const view = new DataView(challenge.buffer, challenge.byteOffset, challenge.byteLength);
    const info = challenge.subarray(
      view.getUint32(44, true),
      view.getUint32(44, true) + view.getUint16(40, true),
    );
    const nt = ntlmV2Response(
      "pw",
      { username: "alice", domain: "" },
      challenge.subarray(24, 32),
      info,
    );
    await credssp.finish(
      encodeTsRequest({ version: 6, negoToken: makeAuthenticate({ nt, domain: "" }) }),
    );
  } finally {
    client.close();
  }
}

let events = 0;
await using sensor = serveSensor({
  decky: "bench",
  hostname: "127.0.0.1",
  services: [{ service: rdpService, options: { port: 0, hostname: "ts01" } }],
  sink: () => events++,
  // Each closed client's session still tears its TLS pipe down while the next one connects.
  maxPerSource: 10_000,
});
const port = sensor.ports.get("rdp")!;
console.log(
  formatTimings(
    "rdp sensor: X.224 request/confirm",
    await timeIt(CONFIRMS, async () => (await rdpConnect(port, REQUEST)).close()),
  ),
);
console.log(
  formatTimings("rdp sensor: NLA logon (TLS+CredSSP)", await timeIt(LOGONS, () => logon(port))),
);
console.log(`events recorded: ${events}`);
