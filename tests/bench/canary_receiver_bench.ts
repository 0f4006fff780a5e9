/**
 * Canary receiver throughput (issue 6, re-measured after issue 12): DNS
 * queries per second with dnsperf against a bare node:dgram echo, and HTTP
 * requests per second with wrk against a bare Deno.serve hello, for unknown
 * and known slugs. Known slugs go through the canary worker's own sink: the
 * active tokens snapshot for lookups and the fsync'd trigger journal (every
 * answer waits for its trigger to be durable; unknown slugs wait for the
 * same commit tick); the collector's ingest then stores the journal in
 * SQLite. Skips what is not installed:
 * `tools/install_test_deps.sh --bench` (or apt-get install dnsperf wrk).
 */
import dgram from "node:dgram";
import { serveCanaryHttp, serveDns } from "../../canary/receiver/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import {
  BENCH_TOKENS as TOKENS,
  BENCH_ZONE as ZONE,
  benchSlug as slug,
  openCanaryBenchSink,
} from "./_canary_bench_sink.ts";

const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 8);
const quiet = new Logger({ level: "error" });

async function run(bin: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(findBinary(bin)!, { args, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${bin} failed: ${text}`);
  return text;
}

function line(label: string, value: number, unit: string, ref?: number): void {
  const pct = ref ? `  ${((value / ref) * 100).toFixed(0).padStart(4)}% of baseline` : "";
  console.log(`${label.padEnd(44)} ${value.toFixed(0).padStart(8)} ${unit}${pct}`);
}

// The production path: the collector writes the snapshot, the listeners journal, the collector stores.
await using bench = await openCanaryBenchSink("receiver-bench-");
const { dir, journal, ingest, repos } = bench;
const sink = Object.assign(bench.sink, {
  /** Stores what the journal holds and returns the hits stored (rows roll repeats up). */
  triggers: async () => {
    await ingest.drain();
    const { items } = await repos.canary.listTriggers(undefined, { limit: 100_000, offset: 0 });
    return items.reduce((n, t) => n + Number(t.hit_count), 0);
  },
});

if (!findBinary("dnsperf")) {
  console.log("skipped DNS: dnsperf not installed (apt-get install dnsperf)");
} else {
  const dnsperf = async (port: number, file: string): Promise<number> => {
    const out = await run("dnsperf", [
      ...["-s", "127.0.0.1", "-p", String(port), "-d", file, "-l", String(SECONDS)],
      ...["-c", "4", "-q", "200"],
    ]);
    const qps = /Queries per second:\s+([\d.]+)/.exec(out);
    if (!qps) throw new Error(`no figure in dnsperf output: ${out}`);
    return Number(qps[1]);
  };
  const known = `${dir}/known.txt`;
  const unknown = `${dir}/unknown.txt`;
  await Deno.writeTextFile(
    known,
    Array.from({ length: 2000 }, (_, i) => `d${i}.${slug(i % TOKENS)}.${ZONE} A\n`).join(""),
  );
  await Deno.writeTextFile(
    unknown,
    Array.from({ length: 2000 }, (_, i) => `nosuch${i}xxxxxxxxxxxxxx.${ZONE} A\n`).join(""),
  );

  const echo = dgram.createSocket("udp4");
  echo.on("message", (msg: Uint8Array, r: dgram.RemoteInfo) => {
    msg[2] |= 0x80; // set QR so dnsperf takes it as the response
    echo.send(msg, r.port, r.address);
  });
  await new Promise<void>((resolve) => echo.bind(0, "127.0.0.1", resolve));
  const echoQps = await dnsperf(echo.address().port, unknown);
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  line("DNS: bare node:dgram echo", echoQps, "q/s");

  await using dns = await serveDns(
    { zone: ZONE, sinkhole: "192.0.2.1", ttl: 60, hostname: "127.0.0.1", port: 0 },
    { sink, log: quiet, rateLimit: null },
  );
  const before = await sink.triggers();
  line("DNS: unknown slugs (NXDOMAIN)", await dnsperf(dns.port, unknown), "q/s", echoQps);
  line("DNS: known slugs (A, deduped triggers)", await dnsperf(dns.port, known), "q/s", echoQps);
  await dns.close();
  console.log(`DNS triggers stored: ${(await sink.triggers()) - before} (2000 distinct names)`);
}

if (!findBinary("wrk")) {
  console.log("skipped HTTP: wrk not installed (apt-get install wrk)");
} else {
  const wrk = async (url: string): Promise<{ rps: number; requests: number }> => {
    const out = await run("wrk", ["-t", "1", "-c", "32", "-d", `${SECONDS}s`, url]);
    const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
    const requests = /(\d+) requests in/.exec(out);
    if (!rps || !requests) throw new Error(`no figure in wrk output: ${out}`);
    return { rps: Number(rps[1]), requests: Number(requests[1]) };
  };
  const hello = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("hello"),
  );
  const helloRps = (await wrk(`http://127.0.0.1:${hello.addr.port}/`)).rps;
  await hello.shutdown();
  line("HTTP: bare Deno.serve hello", helloRps, "req/s");

  const http = serveCanaryHttp({ hostname: "127.0.0.1", port: 0 }, { sink, log: quiet });
  const base = `http://127.0.0.1:${http.port}`;
  const unknownRun = await wrk(`${base}/c/NoSuchSlugxxxxxxxxxxxx`);
  line("HTTP: /c/<unknown slug>", unknownRun.rps, "req/s", helloRps);
  const before = await sink.triggers();
  const knownRun = await wrk(`${base}/c/${slug(1)}`);
  await http.close(); // waits for the answers in flight
  const stored = (await sink.triggers()) - before;
  line("HTTP: /c/<known slug> (trigger recorded)", knownRun.rps, "req/s", helloRps);
  // wrk counts completed responses; up to one request per connection is cut at the end.
  const lost = stored < knownRun.requests || stored > knownRun.requests + 32;
  console.log(
    `HTTP known slug: wrk completed ${knownRun.requests}, triggers stored ${stored}` +
      (lost ? " (MISMATCH)" : " (none lost: stored = completed + requests cut at the end)"),
  );
}
console.log(
  `journal: ${journal.stats().committed} triggers in ${journal.stats().commits} fdatasyncs`,
);
