/**
 * CPU per 1,000 answers of the canary HTTP listener (#20, session 8): the
 * listener over the canary worker's own sink (active tokens snapshot,
 * fsync'd journal, no slug cache), wrk -t1 -c32 against `/c/<unknown slug>`
 * and `/c/<known slug>`, beside a bare `Deno.serve` hello in the same
 * process; rounds of hello, unknown, known. Prints the rate, the process's
 * CPU per 1,000 answers (user + system, all threads) and the main thread's
 * (where the listener's JavaScript runs), and answers per commit.
 * `BENCH_ROOT=<another checkout>` loads the listener and journal from there,
 * to compare two versions in the same minutes (run them alternately).
 * `BENCH_SINK=memory` answers from a sink that stores nothing and commits
 * at once (no disk): the listener's own CPU per answer, without the
 * commit's share, which varies with how many answers each commit carries.
 * `BENCH_PROFILE=<dir>` also takes a V8 CPU profile of the main thread
 * during each HTTP load of the last round (over the inspector), writes it
 * there as `<unknown|known>.cpuprofile` and prints the top functions by
 * self time (the profiler's own cost shows in that round's CPU figures).
 *
 * ```sh
 * BENCH_SECONDS=5 BENCH_ROUNDS=2 tools/deno.sh run -A tests/bench/canary_http_cpu_bench.ts
 * ```
 */
import { Session } from "node:inspector";
import { findBinary } from "../infra/find_binary.ts";
import { benchRoot as root, canary } from "./_canary_bench_root.ts";

type TriggerSink = import("../../canary/receiver/mod.ts").TriggerSink;

const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 5);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 2);
const PROFILE = Deno.env.get("BENCH_PROFILE");
const MEMORY_SINK = Deno.env.get("BENCH_SINK") === "memory";
const KNOWN = "KnownS1ugBenchAbCdEfGh";
const UNKNOWN = "NoSuchS1ugBenchAbCdEfG";

if (!findBinary("wrk")) {
  console.log("wrk is not installed: skipped");
  Deno.exit(0);
}
const quiet = new canary.Logger({ level: "error" });

/** CPU time in ms (user, system) of this process, or of one of its threads. */
function cpuMs(tid?: number): [number, number] {
  const path = tid === undefined ? "/proc/self/stat" : `/proc/self/task/${tid}/stat`;
  const fields = Deno.readTextFileSync(path).split(") ")[1].split(" ");
  return [Number(fields[11]) * 10, Number(fields[12]) * 10];
}
const mainTid = Deno.pid;

const dir = await Deno.makeTempDir({ prefix: "canary-http-cpu-bench-" });
const spool = canary.canarySpoolPaths(dir);
await canary.writeActiveTokens(spool.tokensFile, [{ uuid: crypto.randomUUID(), slug: KNOWN }]);
await using snapshot = await canary.ActiveTokenSnapshot.open(spool.tokensFile, { log: quiet });
await using journal = await canary.JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 3 });
const token = { uuid: crypto.randomUUID(), callbackToken: KNOWN };
const memorySink: TriggerSink = {
  findActiveBySlug: (slug) => Promise.resolve(slug === KNOWN ? token : null),
  findActiveBySlugLc: () => Promise.resolve(null),
  recordTrigger: () => Promise.resolve(),
  recordTriggers: () => Promise.resolve(),
  settle: () => Promise.resolve(),
};
await using http = canary.serveCanaryHttp({ hostname: "127.0.0.1", port: 0 }, {
  sink: MEMORY_SINK ? memorySink : new canary.JournalTriggerSink(journal, snapshot),
  log: quiet,
  cacheTtlMs: 0,
});
const helloBody = new TextEncoder().encode("hello");
await using hello = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  () => new Response(helloBody),
);

async function wrk(url: string): Promise<number> {
  const out = await new Deno.Command("wrk", {
    args: ["-t1", "-c32", `-d${SECONDS}s`, url],
    stdout: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** Runs `load` under the V8 sampling profiler; the profile it took. */
async function profiled(load: () => Promise<number>): Promise<[number, Profile]> {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, {}, (e: unknown, r: unknown) => e ? reject(e) : resolve(r))
    );
  await post("Profiler.enable");
  await post("Profiler.start");
  const rate = await load();
  const { profile } = await post("Profiler.stop") as { profile: Profile };
  session.disconnect();
  return [rate, profile];
}

/** The functions with the most samples of their own, as "share name file:line" lines. */
function topSelf(profile: Profile, count: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<string, number>();
  for (const id of profile.samples) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const key = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${
      lineNumber + 1
    }`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
  }
  return [...hits].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, n]) =>
    `${(n / profile.samples.length * 100).toFixed(1).padStart(5)}%  ${key}`
  );
}

console.log(
  `root ${root}, ${MEMORY_SINK ? "memory" : "journal"} sink, ${SECONDS} s per load, load average ${
    Deno.loadavg().map((l) => l.toFixed(2)).join(" ")
  }`,
);
const loads: [string, string][] = [
  ["Deno.serve hello", `http://127.0.0.1:${hello.addr.port}/`],
  ["HTTP /c/<unknown slug>", `http://127.0.0.1:${http.port}/c/${UNKNOWN}`],
  ["HTTP /c/<known slug>", `http://127.0.0.1:${http.port}/c/${KNOWN}`],
];
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, url] of loads) {
    const commits = journal.stats().commits;
    const cpu = cpuMs();
    const thread = cpuMs(mainTid);
    const profile = PROFILE !== undefined && round === ROUNDS && name.startsWith("HTTP");
    const [rate, samples] = profile ? await profiled(() => wrk(url)) : [await wrk(url), undefined];
    const answers = rate * SECONDS;
    const perK = ([user, system]: [number, number], [user0, system0]: [number, number]) =>
      `${((user - user0 + system - system0) / answers * 1000).toFixed(1).padStart(5)} ms (${
        ((system - system0) / answers * 1000).toFixed(1)
      } system)`;
    const perCommit = !MEMORY_SINK && name.includes("known slug") && !name.includes("unknown")
      ? `, ${(answers / Math.max(1, journal.stats().commits - commits)).toFixed(1)} per commit`
      : "";
    console.log(
      `round ${round} ${name}`.padEnd(32) +
        `${rate.toFixed(0).padStart(6)} req/s, CPU per 1k: process ${perK(cpuMs(), cpu)}, ` +
        `main thread ${perK(cpuMs(mainTid), thread)}${perCommit}`,
    );
    if (samples) {
      const file = `${PROFILE}/${name.includes("unknown") ? "unknown" : "known"}.cpuprofile`;
      await Deno.writeTextFile(file, JSON.stringify(samples));
      console.log(`  profile ${file}, top self time:`);
      for (const l of topSelf(samples, 25)) console.log(`  ${l}`);
    }
  }
}
console.log(`load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
await Deno.remove(dir, { recursive: true });
