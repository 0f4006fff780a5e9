/**
 * The canary listeners' per-request JavaScript (issue 20), in process and
 * without I/O: DNS parse + answer + encode for an unknown name, a bait name
 * (A with NS and glue) and an EDNS query; the HTTP listener's request
 * parse + response bytes for `/c/<slug>`; the journal line of one trigger.
 * Prints microseconds per operation (best of BENCH_REPEATS batches, so other
 * jobs on the machine inflate it less than a mean would).
 */
import {
  answerDnsQuery,
  type DnsZoneConfig,
  encodeDnsMessage,
  parseDnsMessage,
} from "../../canary/receiver/mod.ts";
import { parseHttp1Request, renderNginxResponse } from "../../core/http1/mod.ts";
import { encodeTriggerRecord } from "../../core/journal/mod.ts";

const REPEATS = Number(Deno.env.get("BENCH_REPEATS") ?? 7);
const BATCH = 20_000;

/** Best microseconds per call of `fn` over REPEATS batches of BATCH calls. */
async function perOp(fn: (i: number) => unknown): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < BATCH; i++) {
      const out = fn(i);
      if (out instanceof Promise) await out;
    }
    best = Math.min(best, ((performance.now() - t0) * 1000) / BATCH);
  }
  return best;
}

function line(label: string, us: number): void {
  console.log(`${label.padEnd(52)} ${us.toFixed(2).padStart(7)} µs/op`);
}

/** A query as dig sends it: RD, one question, an OPT with a cookie when `edns`. */
function query(name: string, type: number, edns: boolean): Uint8Array {
  const labels = name.split(".");
  const out: number[] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, edns ? 1 : 0];
  for (const l of labels) out.push(l.length, ...[...l].map((c) => c.charCodeAt(0)));
  out.push(0, 0, type, 0, 1);
  if (edns) {
    out.push(0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 12, 0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8);
  }
  return Uint8Array.from(out);
}

const zone: DnsZoneConfig = {
  zone: "t.example.net",
  sinkhole: "10.20.0.80",
  nsAddress: "10.20.0.80",
  ttl: 60,
  serial: 2026120101,
};
const token = { uuid: "4f1c2a9e-0000-4000-8000-000000000001", callbackToken: "k3x9q2ab" };
const lookup = (slugLc: string) => Promise.resolve(slugLc === "k3x9q2ab" ? token : null);
const dns = (packet: Uint8Array) => async () => {
  const q = parseDnsMessage(packet);
  const { response } = await answerDnsQuery(q, zone, { lookup });
  return encodeDnsMessage(response!, { maxSize: 512 });
};

const unknown = query("nosuch123xxxxxxxxxxxxxx.t.example.net", 1, false);
const known = query("r1d7.k3x9q2ab.t.example.net", 1, false);
const knownEdns = query("r1d7.K3x9Q2ab.T.example.net", 1, true);
line("DNS unknown name: parse + NXDOMAIN + encode", await perOp(dns(unknown)));
line("DNS bait name: parse + A/NS/glue + encode", await perOp(dns(known)));
line("DNS bait name, mixed case, EDNS cookie", await perOp(dns(knownEdns)));

const head = new TextEncoder().encode(
  "GET /c/NoSuchSlugxxxxxxxxxxxx HTTP/1.1\r\nHost: 127.0.0.1:8088\r\n\r\n",
);
line("HTTP parse request head (wrk's)", await perOp(() => parseHttp1Request(head, {})));
const date = new Date();
line(
  "HTTP render 404 keep-alive",
  await perOp(() =>
    renderNginxResponse(404, { server: "nginx/1.22.1", date, keepAlive: true, gzip: false })
  ),
);
line(
  "HTTP render 200 GIF keep-alive",
  await perOp(() => renderNginxResponse(200, { server: "nginx/1.22.1", date, keepAlive: true })),
);
line(
  "journal line of one HTTP trigger",
  await perOp(() =>
    encodeTriggerRecord({
      tokenUuid: token.uuid,
      occurredAt: date,
      srcIp: "127.0.0.1",
      userAgent: null,
      method: "GET",
      requestPath: "/c/k3x9q2ab",
      dnsQname: null,
      dnsClientSubnet: null,
      headers: { host: "127.0.0.1:8088" },
    })
  ),
);
