/**
 * What acknowledging only durable triggers costs (issue 12): the latency a
 * callback's answer gains from waiting for its trigger's fdatasync, p50 and
 * p99, for a known slug (journals) and an unknown one (waits for the same
 * commit tick without writing), against the same listener whose sink waits
 * for nothing; then the journal's trigger throughput (group commit) and the
 * collector's ingest into SQLite. One client in this process: sequential
 * requests for latency, many in flight for throughput.
 */
import { ActiveTokenSnapshot } from "../../canary/receiver/active_token_snapshot.ts";
import { JournalTriggerSink } from "../../canary/receiver/journal_trigger_sink.ts";
import { serveCanaryHttp } from "../../canary/receiver/mod.ts";
import { CanaryJournalIngest } from "../../core/attackers/canary_journal_ingest.ts";
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, migrateToLatest, openDatabase } from "../../core/db/mod.ts";
import {
  canarySpoolPaths,
  encodeTriggerRecord,
  JournalWriter,
  writeActiveTokens,
} from "../../core/journal/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { MemoryTriggerSink } from "../canary/receiver/_memory_trigger_sink.ts";
import { makeTokenInput } from "../web/_token_fixture.ts";

const REQUESTS = Number(Deno.env.get("BENCH_REQUESTS") ?? 3000);
const KNOWN = "KnownS1ugBenchAbCdEfGh";
const UNKNOWN = "NoSuchS1ugBenchAbCdEfG";
const quiet = new Logger({ level: "error" });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Sequential GETs: per-request latency in ms, sorted. */
async function latencies(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n + 50; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (i >= 50) out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

function row(label: string, ms: number[], base?: number[]): void {
  const p50 = percentile(ms, 0.5);
  const p99 = percentile(ms, 0.99);
  const added = base
    ? `  added p50 ${(p50 - percentile(base, 0.5)).toFixed(3)} ms, p99 ${
      (p99 - percentile(base, 0.99)).toFixed(3)
    } ms`
    : "";
  console.log(
    `${label.padEnd(40)} p50 ${p50.toFixed(3).padStart(7)} ms  p99 ${
      p99.toFixed(3).padStart(7)
    } ms${added}`,
  );
}

const dir = await Deno.makeTempDir({ prefix: "journal-bench-" });
const spool = canarySpoolPaths(dir);
const uuid = crypto.randomUUID();
await writeActiveTokens(spool.tokensFile, [{ uuid, slug: KNOWN }]);

// Baseline: the same listener over a sink that records in memory and waits for nothing.
const memory = new MemoryTriggerSink();
memory.add({ uuid, callbackToken: KNOWN });
{
  await using http = serveCanaryHttp({ hostname: "127.0.0.1", port: 0 }, {
    sink: memory,
    log: quiet,
  });
  const base = `http://127.0.0.1:${http.port}/c/`;
  const knownBase = await latencies(base + KNOWN, REQUESTS);
  const unknownBase = await latencies(base + UNKNOWN, REQUESTS);
  row("no durable wait, known slug", knownBase);
  row("no durable wait, unknown slug", unknownBase);

  await using snapshot = await ActiveTokenSnapshot.open(spool.tokensFile, { log: quiet });
  await using journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 3 });
  await using durable = serveCanaryHttp({ hostname: "127.0.0.1", port: 0 }, {
    sink: new JournalTriggerSink(journal, snapshot),
    log: quiet,
  });
  const url = `http://127.0.0.1:${durable.port}/c/`;
  row("journal (fdatasync), known slug", await latencies(url + KNOWN, REQUESTS), knownBase);
  row("journal, unknown slug (same tick)", await latencies(url + UNKNOWN, REQUESTS), unknownBase);
}

// Throughput: appends with many in flight share fdatasyncs.
{
  await using journal = await JournalWriter.open(`${dir}/throughput`, { maxBytes: 1024 ** 3 });
  const line = encodeTriggerRecord({
    tokenUuid: uuid,
    occurredAt: new Date(),
    srcIp: "192.0.2.9",
    userAgent: "curl/8.5.0",
    method: "GET",
    requestPath: `/c/${KNOWN}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: { "user-agent": "curl/8.5.0", accept: "*/*" },
  });
  for (const inFlight of [1, 32, 256]) {
    const total = inFlight === 1 ? 2000 : 20_000;
    const before = journal.stats();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next++ < total) await journal.append([line]);
    }));
    const seconds = (performance.now() - t0) / 1000;
    const syncs = journal.stats().commits - before.commits;
    console.log(
      `journal append, ${String(inFlight).padStart(3)} in flight`.padEnd(40) +
        ` ${(total / seconds).toFixed(0).padStart(7)} triggers/s  ${
          (total / syncs).toFixed(1)
        } triggers per fdatasync`,
    );
  }
}

// The collector: ingest of the throughput journal above into SQLite.
{
  await using handle = await openDatabase(`sqlite:${dir}/bench.db`);
  await migrateToLatest(handle);
  const repos = createRepositories(handle);
  await repos.canary.insertToken(makeTokenInput({
    uuid,
    callback_token: KNOWN,
    generator: null,
    decky_name: null,
    placement_path: null,
    http_base: "http://127.0.0.1",
    dns_zone: "",
    state: "issued",
  }));
  await using ingest = new CanaryJournalIngest({
    journal: "canary@bench",
    spool: { ...spool, journalDir: `${dir}/throughput` },
    repository: repos.canaryJournals,
    bus: new MemoryBus({ broadcast: false }),
    log: quiet,
  });
  const t0 = performance.now();
  const stored = await ingest.drain();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `collector ingest into SQLite`.padEnd(40) +
      ` ${(stored / seconds).toFixed(0).padStart(7)} triggers/s  (${stored} stored)`,
  );
}
await Deno.remove(dir, { recursive: true });
