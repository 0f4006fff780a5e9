/**
 * CPU per DNS answer of the canary listener as the canary worker runs it
 * (issue 20): `serveDns` over the journal sink (active tokens snapshot,
 * fsync'd trigger journal, no slug cache, per-source limit off), loaded by
 * dnsperf -c4 -q200, beside a bare `node:dgram` echo in the same process.
 * Rounds interleave echo, unknown names, echo, known names (2,000 names new
 * to the round, so 2,000 triggers are journaled and the rest are repeats
 * within the dedupe window). Prints, per load, the rate and this process's
 * CPU per answer (user + system, all threads) with the busiest threads;
 * after each known load, the collector's CPU per stored trigger (its
 * journal ingest into SQLite, run here once the load is over). CPU per
 * answer is the figure to compare: rates follow the machine's load.
 */
import dgram from "node:dgram";
import process from "node:process";
import { serveDns } from "../../canary/receiver/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import {
  BENCH_TOKENS as TOKENS,
  BENCH_ZONE as ZONE,
  benchSlug as slug,
  openCanaryBenchSink,
} from "./_canary_bench_sink.ts";

const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 8);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 2);
/** Loads per round, in order (one alone is handy under a profiler). */
const LOADS = (Deno.env.get("BENCH_LOADS") ?? "echo,unknown,echo,known").split(",");
const quiet = new Logger({ level: "error" });

/** CPU time (user + system) of this process so far, in microseconds. */
function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** CPU ticks (1/100 s) per thread name, summed over threads of the same name. */
function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of Deno.readDirSync("/proc/self/task")) {
    try {
      const stat = Deno.readTextFileSync(`/proc/self/task/${entry.name}/stat`);
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(name, (out.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]));
    } catch {
      // the thread ended
    }
  }
  return out;
}

async function dnsperf(port: number, file: string): Promise<{ rate: number; completed: number }> {
  const args = [
    ...["-s", "127.0.0.1", "-p", String(port), "-d", file, "-l", String(SECONDS)],
    ...["-c", "4", "-q", "200"],
  ];
  const out = await new Deno.Command(findBinary("dnsperf")!, { args, stdout: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  const qps = /Queries per second:\s+([\d.]+)/.exec(text);
  const completed = /Queries completed:\s+(\d+)/.exec(text);
  if (!out.success || !qps || !completed) throw new Error(`no figure in dnsperf output: ${text}`);
  return { rate: Number(qps[1]), completed: Number(completed[1]) };
}

/** Runs one load and prints its rate, CPU per answer and busiest threads. */
async function measure(label: string, port: number, file: string): Promise<number> {
  const threads0 = threadTicks();
  const cpu0 = cpuUs();
  const { rate, completed } = await dnsperf(port, file);
  const perAnswer = (cpuUs() - cpu0) / completed;
  const threads = [...threadTicks()].map(([name, t]) => [name, t - (threads0.get(name) ?? 0)])
    .filter(([, t]) => (t as number) > 0)
    .sort((a, b) => (b[1] as number) - (a[1] as number))
    .slice(0, 4)
    .map(([name, t]) => `${name} ${(((t as number) * 10_000) / completed).toFixed(0)}`);
  console.log(
    `${label.padEnd(30)} ${rate.toFixed(0).padStart(7)} q/s  ${
      perAnswer.toFixed(1).padStart(6)
    } µs/answer  (threads µs/answer: ${threads.join(", ")})`,
  );
  return perAnswer;
}

if (!findBinary("dnsperf")) {
  console.log("skipped: dnsperf not installed (apt-get install dnsperf)");
  Deno.exit(0);
}
await using bench = await openCanaryBenchSink("dns-cpu-bench-");
const { dir, journal, ingest, sink } = bench;
await using dns = await serveDns(
  { zone: ZONE, sinkhole: "192.0.2.1", ttl: 60, hostname: "127.0.0.1", port: 0 },
  { sink, log: quiet, rateLimit: null, cacheTtlMs: 0 },
);

const echo = dgram.createSocket("udp4");
echo.on("message", (msg: Uint8Array, r: dgram.RemoteInfo) => {
  msg[2] |= 0x80; // QR, so dnsperf takes it as the response
  echo.send(msg, r.port, r.address);
});
await new Promise<void>((resolve) => echo.bind(0, "127.0.0.1", resolve));
const echoPort = echo.address().port;

const unknown = `${dir}/unknown.txt`;
await Deno.writeTextFile(
  unknown,
  Array.from({ length: 2000 }, (_, i) => `nosuch${i}xxxxxxxxxxxxxx.${ZONE} A\n`).join(""),
);
console.log(
  `canary DNS CPU per answer: dnsperf -c4 -q200, ${SECONDS} s per load, ${ROUNDS} rounds; ` +
    `load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
);
const sums = { echo: [] as number[], unknown: [] as number[], known: [] as number[] };
for (let round = 1; round <= ROUNDS; round++) {
  const known = `${dir}/known${round}.txt`;
  await Deno.writeTextFile(
    known,
    Array.from({ length: 2000 }, (_, i) => `r${round}d${i}.${slug(i % TOKENS)}.${ZONE} A\n`)
      .join(""),
  );
  for (const load of LOADS) {
    if (load === "echo") sums.echo.push(await measure("echo (baseline)", echoPort, unknown));
    if (load === "unknown") {
      sums.unknown.push(await measure("unknown names (NXDOMAIN)", dns.port, unknown));
    }
    if (load !== "known") continue;
    const committed = journal.stats().committed;
    sums.known.push(await measure("known names (A, triggers)", dns.port, known));
    const journaled = journal.stats().committed - committed;
    const cpu0 = cpuUs();
    const stored = await ingest.drain();
    console.log(
      `  triggers journaled ${journaled}, stored ${stored}: collector ingest ${
        stored ? ((cpuUs() - cpu0) / stored).toFixed(0) : "-"
      } µs CPU per stored trigger`,
    );
  }
}
const range = (xs: number[]) =>
  xs.length ? `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)} µs/answer` : "-";
console.log(
  `summary: echo ${range(sums.echo)}, unknown ${range(sums.unknown)}, known ${range(sums.known)}` +
    `; load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
);
await dns.close();
await new Promise<void>((resolve) => echo.close(() => resolve()));
