/**
 * The canary journal's commit tick (#20): what a synced write costs when
 * it grows the file against when it overwrites blocks already on disk, then
 * append -> durable latency (p50/p90) with 1 and 32 closed-loop appenders,
 * the same for `settle()` (an unknown slug's wait), and wrk -c32 through the
 * HTTP listener over the journal (rate, answers per commit, CPU per 1,000).
 * `BENCH_ROOT=<another checkout>` loads the journal and listener from there
 * instead, to compare two versions in the same minutes.
 */
import * as fs from "node:fs";
import { findBinary } from "../infra/find_binary.ts";
import { benchRoot as root, canary } from "./_canary_bench_root.ts";

const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 3);
const KNOWN = "KnownS1ugBenchAbCdEfGh";
const UNKNOWN = "NoSuchS1ugBenchAbCdEfG";
const quiet = new canary.Logger({ level: "error" });

function ms(sorted: number[], p: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))].toFixed(3);
}

/** CPU time of this process so far (all threads), in ms. */
function cpuMs(): number {
  const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const dir = await Deno.makeTempDir({ prefix: "journal-tick-bench-" });
console.log(`root ${root}, load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

// A synced 12 KiB write (32 records) at the end of the file, growing it, against one over zeros.
{
  const { O_WRONLY, O_CREAT, O_DSYNC } = fs.constants;
  const block = new Uint8Array(12 * 1024).fill(0x61);
  const writeAt = (fd: number, bytes: Uint8Array, at: number) =>
    new Promise<void>((resolve, reject) =>
      fs.write(fd, bytes, 0, bytes.length, at, (e) => e ? reject(e) : resolve())
    );
  for (const grow of [true, false]) {
    const fd = fs.openSync(`${dir}/raw`, O_WRONLY | O_CREAT | O_DSYNC, 0o600);
    if (!grow) await writeAt(fd, new Uint8Array(block.length * 300), 0);
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await writeAt(fd, block, i * block.length);
      samples.push(performance.now() - t0);
    }
    fs.closeSync(fd);
    Deno.removeSync(`${dir}/raw`);
    samples.sort((a, b) => a - b);
    console.log(
      `O_DSYNC write of 12 KiB, ${grow ? "growing the file" : "over zeros on disk"}`.padEnd(46) +
        `p50 ${ms(samples, 0.5)} ms  p90 ${ms(samples, 0.9)} ms`,
    );
  }
}

const line = canary.encodeTriggerRecord({
  tokenUuid: crypto.randomUUID(),
  occurredAt: new Date(),
  srcIp: "192.0.2.9",
  userAgent: "wrk",
  method: "GET",
  requestPath: `/c/${KNOWN}`,
  dnsQname: null,
  dnsClientSubnet: null,
  headers: { "user-agent": "wrk", host: "127.0.0.1:8080" },
});
for (const waiters of [1, 32]) {
  for (const op of ["append", "settle"] as const) {
    await using journal = await canary.JournalWriter.open(`${dir}/${op}-${waiters}`, {
      maxBytes: 1024 ** 3,
    });
    // settle() alone imitates the last commit: give it one of 32 records to imitate.
    await journal.append(Array(32).fill(line));
    const samples: number[] = [];
    const end = performance.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: waiters }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await (op === "append" ? journal.append([line]) : journal.settle());
        samples.push(performance.now() - t0);
      }
    }));
    samples.sort((a, b) => a - b);
    const { committed, commits } = journal.stats();
    const shared = op === "append"
      ? `, ${((committed - 32) / (commits - 1)).toFixed(1)} per sync`
      : "";
    console.log(
      `${op}(), ${String(waiters).padStart(2)} in flight`.padEnd(46) +
        `p50 ${ms(samples, 0.5)} ms  p90 ${ms(samples, 0.9)} ms  ${
          (samples.length / SECONDS).toFixed(0)
        }/s${shared}`,
    );
  }
}

if (findBinary("wrk")) {
  const spool = canary.canarySpoolPaths(dir);
  await canary.writeActiveTokens(spool.tokensFile, [{ uuid: crypto.randomUUID(), slug: KNOWN }]);
  await using snapshot = await canary.ActiveTokenSnapshot.open(spool.tokensFile, { log: quiet });
  await using journal = await canary.JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 3 });
  await using http = canary.serveCanaryHttp({ hostname: "127.0.0.1", port: 0 }, {
    sink: new canary.JournalTriggerSink(journal, snapshot),
    log: quiet,
  });
  for (const [name, slug] of [["known", KNOWN], ["unknown", UNKNOWN]]) {
    const commits = journal.stats().commits;
    const cpu = cpuMs();
    const out = await new Deno.Command("wrk", {
      args: ["-t1", "-c32", `-d${SECONDS}s`, `http://127.0.0.1:${http.port}/c/${slug}`],
      stdout: "piped",
    }).output();
    const rate = Number(
      /Requests\/sec:\s+([\d.]+)/.exec(new TextDecoder().decode(out.stdout))?.[1],
    );
    const answers = rate * SECONDS;
    const perCommit = name === "known"
      ? `, ${(answers / (journal.stats().commits - commits)).toFixed(1)} per commit`
      : "";
    console.log(
      `HTTP /c/<${name} slug>, wrk -c32`.padEnd(46) +
        `${rate.toFixed(0)} req/s, ${((cpuMs() - cpu) / answers * 1000).toFixed(0)} ms CPU per 1k` +
        perCommit,
    );
  }
}
await Deno.remove(dir, { recursive: true });
