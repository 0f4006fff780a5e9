/**
 * `deno task bench up` (issue 20): the real `decnet up` under load, side by
 * side with bare baselines in the same run. It starts `decnet up` as an
 * operator would (fresh DECNET_HOME, SQLite, in-process bus, every default
 * worker; DNS per-source limit off through DECNET_CANARY_DNS_RATE=0),
 * creates 20 tokens through the API, then runs, for BENCH_ROUNDS rounds,
 * each baseline and then the product: wrk (-t1 -c32) against a bare
 * `Deno.serve` hello, `/c/<unknown slug>`, `/c/<known slug>`; dnsperf (-c4)
 * against a bare `node:dgram` echo, unknown and known names; wrk against
 * the API (`/api/v1/auth/me`, `/api/v1/canary/tokens`). Known-slug triggers
 * acknowledged (200 answers wrk completed) are compared with the hits stored
 * in the database. Memory: idle RSS of `decnet up --only` the issue's four
 * workers and of the default set, peak RSS during the loads, RSS after 60 s
 * idle. Each figure is printed as a ratio of its baseline and against the
 * issue's target (PASS/MISS); nothing is asserted. Beside each rate, the CPU
 * the serving process spent per 1,000 answers (all its threads): on a
 * machine shared with other jobs that figure moves far less than rates do. Skips what is not
 * installed (`tools/install_test_deps.sh --bench`).
 *
 * BENCH_SECONDS (default 8) per load, BENCH_ROUNDS (default 2),
 * BENCH_IDLE_SECONDS (default 60) before the last RSS reading; BENCH_BUNDLE=1
 * also measures the four workers' idle RSS from the built bundle, as an
 * installed host runs it (after `deno cache`, as `decnet install` does) and
 * cold (a fresh Deno cache); BENCH_LOADS=bundle (with BENCH_BUNDLE=1) runs the
 * loads, the default set's idle RSS and the peak and after-idle figures
 * against that installed bundle instead of the source run.
 */
import { buildSplitBundle, RUNTIME_FLAGS, V8_FLAGS } from "../../tools/build_bundle.ts";
import { createRepositories, openDatabase } from "../../core/db/mod.ts";
import { decnetFromSource } from "../infra/decnet_from_source.ts";
import { findBinary } from "../infra/find_binary.ts";
import { signInAdmin } from "../infra/sign_in_admin.ts";
import { type DecnetProcess, spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

const SECONDS = Number(Deno.env.get("BENCH_SECONDS") ?? 8);
const ROUNDS = Number(Deno.env.get("BENCH_ROUNDS") ?? 2);
const IDLE_SECONDS = Number(Deno.env.get("BENCH_IDLE_SECONDS") ?? 60);
const ZONE = "t.example.net";
const SINKHOLE = "10.20.0.80";
const TOKENS = 20;
const PASSWORD = "bench-admin-password-20";
const MB = 1024 * 1024;
const FOUR_WORKERS = "api,canary,orchestrator,reconciler";
// From source as the launchers run it: with decnet's V8 flags and lazy imports.
const SOURCE = decnetFromSource([V8_FLAGS]);

const wrkBin = findBinary("wrk");
const dnsperfBin = findBinary("dnsperf");

// ---------------------------------------------------------------- tools

async function run(bin: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(bin, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${bin} failed: ${text}`);
  return text;
}

interface WrkResult {
  rate: number;
  /** Responses completed. */
  completed: number;
  /** Completed with a 2xx/3xx status. */
  ok: number;
}

async function wrk(url: string, headers: Record<string, string> = {}): Promise<WrkResult> {
  const args = ["-t", "1", "-c", "32", "-d", `${SECONDS}s`];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const out = await run(wrkBin!, [...args, url]);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const requests = /(\d+) requests in/.exec(out);
  if (!rps || !requests) throw new Error(`no figure in wrk output: ${out}`);
  const bad = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const completed = Number(requests[1]);
  return { rate: Number(rps[1]), completed, ok: completed - bad };
}

async function dnsperf(
  port: number,
  file: string,
): Promise<{ rate: number; completed: number; lost: number }> {
  const out = await run(dnsperfBin!, [
    ...["-s", "127.0.0.1", "-p", String(port), "-d", file, "-l", String(SECONDS)],
    ...["-c", "4", "-q", "200"],
  ]);
  const qps = /Queries per second:\s+([\d.]+)/.exec(out);
  const completed = /Queries completed:\s+(\d+)/.exec(out);
  if (!qps || !completed) throw new Error(`no figure in dnsperf output: ${out}`);
  // A lost query holds one of dnsperf's slots until its 5 s timeout: say so beside the rate.
  const lost = Number(/Queries lost:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { rate: Number(qps[1]), completed: Number(completed[1]), lost };
}

function rssBytes(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

/** CPU time (user + system, all threads) `pid` has used so far, in milliseconds. */
function cpuMs(pid: number, path = `/proc/${pid}/stat`): number {
  const stat = Deno.readTextFileSync(path);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second here).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time (user + system) of each thread of `pid` so far, in milliseconds, by thread id. */
function threadCpuMs(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const { name } of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      out.set(name, cpuMs(Number(name), `/proc/${pid}/task/${name}/stat`));
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** One load against one process: its rate, and that process's CPU per 1,000 answers. */
interface Measured {
  rate: number;
  cpuPer1000: number;
  /** The same for its busiest thread during the load (the listener's worker, for the canary rows). */
  threadCpuPer1000: number;
  /** DNS queries that got no answer. */
  lost?: number;
}

/** Runs `load` (which returns the rate and answers completed) and charges `pid`'s CPU to it. */
async function measured(
  pid: number,
  load: () => Promise<{ rate: number; completed: number; lost?: number }>,
): Promise<Measured & { completed: number }> {
  const before = cpuMs(pid);
  const threadsBefore = threadCpuMs(pid);
  const { rate, completed, lost } = await load();
  const cpuPer1000 = ((cpuMs(pid) - before) / completed) * 1000;
  let busiest = 0;
  for (const [tid, ms] of threadCpuMs(pid)) {
    busiest = Math.max(busiest, ms - (threadsBefore.get(tid) ?? 0));
  }
  return { rate, completed, lost, cpuPer1000, threadCpuPer1000: (busiest / completed) * 1000 };
}

/** Samples the RSS of `pid` every 100 ms until stopped; returns the peak. */
function peakSampler(pid: number): { stop(): number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // exited
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssBytes(pid));
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- baselines

interface Baseline extends AsyncDisposable {
  port: number;
  pid: number;
}

/** Runs `code` in its own Deno process (as `decnet up` runs in its own); it prints its port. */
async function spawnBaseline(code: string): Promise<Baseline> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", code],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/^\d+\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`baseline exited early: ${text}`);
    text += value;
  }
  reader.releaseLock();
  return {
    port: Number(text.trim()),
    pid: child.pid,
    async [Symbol.asyncDispose]() {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}

const HELLO = `Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: (a) => console.log(a.port) },
  () => new Response("hello"));`;
const ECHO = `import dgram from "node:dgram";
const s = dgram.createSocket("udp4");
s.on("message", (m, r) => { m[2] |= 0x80; s.send(m, r.port, r.address); });
s.bind(0, "127.0.0.1", () => console.log(s.address().port));`;

// ---------------------------------------------------------------- decnet up

function upEnv(home: string): Record<string, string> {
  return {
    DECNET_HOME: home,
    DECNET_API_PORT: "0",
    DECNET_CANARY_HTTP_BIND: "127.0.0.1",
    DECNET_CANARY_HTTP_PORT: "0",
    DECNET_CANARY_DNS_BIND: "127.0.0.1",
    DECNET_CANARY_DNS_PORT: "0",
    DECNET_CANARY_DNS_ZONE: ZONE,
    DECNET_CANARY_DNS_SINKHOLE: SINKHOLE,
    DECNET_CANARY_DNS_RATE: "0",
    DECNET_ADMIN_PASSWORD: PASSWORD,
  };
}

async function waitHealthy(proc: DecnetProcess): Promise<string> {
  const [, api] = await proc.waitForLine(/API and dashboard listening on (http:\/\/\S+)/, 60_000);
  await waitUntil(async () => {
    const res = await fetch(`${api}/api/v1/health`);
    return res.status === 200 && (await res.json()).status === "ok";
  }, { what: "every worker healthy", timeoutMs: 60_000 });
  return api;
}

/**
 * Idle RSS of `decnet up [args]` 12 s after every worker reported healthy
 * (time for the supervisor's malloc trim, every 5 s once quiet, to have run).
 */
async function idleRss(
  args: string[],
  command = SOURCE,
  env: Record<string, string> = {},
): Promise<number> {
  const home = await Deno.makeTempDir({ prefix: "up-bench-idle-" });
  try {
    await using proc = spawnDecnet(["up", ...args], {
      cwd: home,
      env: { ...upEnv(home), ...env },
      command,
    });
    await waitHealthy(proc);
    await sleep(12_000);
    return rssBytes(proc.pid);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

// ---------------------------------------------------------------- report

interface Row {
  label: string;
  unit: string;
  /** Product figures, one per round (a bare number for memory rows). */
  values: (Measured | number)[];
  /** Baseline figure of the same round, when the row is a ratio. */
  baselines?: Measured[];
  /** PASS when ratio (or value) >= target, or <= target when `atMost`. */
  target?: number;
  atMost?: boolean;
  note?: string;
}

const rows: Row[] = [];

function fmt(n: number, unit: string): string {
  return unit === "MB" ? `${(n / MB).toFixed(1)} MB` : `${n.toFixed(0)} ${unit}`;
}

function printRow(row: Row): void {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const rate = (v: Measured | number) => typeof v === "number" ? v : v.rate;
  const values = row.values.map(rate);
  const figures = row.values.map((v, i) => {
    let text = fmt(rate(v), row.unit);
    if (row.baselines) text += ` (${((rate(v) / row.baselines[i].rate) * 100).toFixed(0)}%)`;
    if (typeof v !== "number") {
      text += ` cpu ${v.cpuPer1000.toFixed(0)} ms/1k (busiest thread ${
        v.threadCpuPer1000.toFixed(0)
      })`;
    }
    if (typeof v !== "number" && v.lost) text += ` lost ${v.lost}`;
    return text;
  }).join(", ");
  let verdict = "";
  if (row.target !== undefined && values.length > 0) {
    const measure = row.baselines
      ? sum(values) / sum(row.baselines.map(rate))
      : row.atMost
      ? Math.max(...values)
      : sum(values) / values.length;
    const pass = row.atMost ? measure <= row.target : measure >= row.target;
    const shown = row.baselines
      ? `${(measure * 100).toFixed(0)}% of baseline, target ${(row.target * 100).toFixed(0)}%`
      : `target ${row.atMost ? "<=" : ">="} ${fmt(row.target, row.unit)}`;
    verdict = ` | ${shown}  ${pass ? "PASS" : "MISS"}`;
  }
  console.log(`${row.label.padEnd(50)} ${figures}${verdict}${row.note ? ` | ${row.note}` : ""}`);
}

// ---------------------------------------------------------------- the run

console.log(
  `decnet up under load: wrk -t1 -c32, dnsperf -c4 -q200, ${SECONDS} s each, ${ROUNDS} rounds; ` +
    `load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
);
if (!wrkBin) console.log("skipped HTTP and API rows: wrk not installed (apt-get install wrk)");
if (!dnsperfBin) console.log("skipped DNS rows: dnsperf not installed (apt-get install dnsperf)");

const idleFour = await idleRss(["--only", FOUR_WORKERS]);
rows.push({
  label: `RSS idle, ${FOUR_WORKERS.split(",").length} workers (${FOUR_WORKERS})`,
  unit: "MB",
  values: [idleFour],
  target: 150 * MB,
  atMost: true,
});
/** The built bundle as an installed host runs it (BENCH_BUNDLE=1): command line and environment. */
let installed: { command: string[]; env: Record<string, string> } | undefined;
const bundleDir = Deno.env.get("BENCH_BUNDLE") === "1"
  ? await Deno.makeTempDir({ prefix: "up-bench-bundle-" })
  : undefined;
if (bundleDir) {
  // The shipped artifact (the split bundle) must not be heavier than the source run (issue 20).
  // As an installed host runs it: `decnet install` caches its analysis for the service user
  // (cli/warm_bundle_cache.ts); cold = a first start without that cache.
  await buildSplitBundle(`${bundleDir}/decnet.js`);
  const command = [
    Deno.execPath(),
    "run",
    "--quiet",
    "--no-config",
    ...RUNTIME_FLAGS,
    `${bundleDir}/decnet.js`,
  ];
  const four = FOUR_WORKERS.split(",").length;
  const cached = await new Deno.Command(Deno.execPath(), {
    args: ["cache", "--quiet", "--no-config", `${bundleDir}/decnet.js`],
    env: { DENO_DIR: `${bundleDir}/cache-installed` },
  }).output();
  if (!cached.success) throw new Error("deno cache of the bundle failed");
  installed = { command, env: { DENO_DIR: `${bundleDir}/cache-installed` } };
  rows.push({
    label: `RSS idle, same ${four} workers, bundle as installed`,
    unit: "MB",
    values: [await idleRss(["--only", FOUR_WORKERS], command, installed.env)],
    target: idleFour,
    atMost: true,
  }, {
    label: `RSS idle, same ${four} workers, bundle cold`,
    unit: "MB",
    values: [
      await idleRss(["--only", FOUR_WORKERS], command, { DENO_DIR: `${bundleDir}/cache-cold` }),
    ],
    note: "a first start without install's deno cache",
  });
}
const loads = Deno.env.get("BENCH_LOADS") === "bundle" ? installed : { command: SOURCE, env: {} };
if (!loads) throw new Error("BENCH_LOADS=bundle needs BENCH_BUNDLE=1");
console.log(`loads against ${loads === installed ? "the bundle as installed" : "the source run"}`);

const home = await Deno.makeTempDir({ prefix: "up-bench-" });
try {
  await using proc = spawnDecnet(["up"], {
    cwd: home,
    env: { ...upEnv(home), ...loads.env },
    command: loads.command,
  });
  const [, httpPort] = await proc.waitForLine(/Canary HTTP listening on [\d.]+:(\d+)/, 60_000);
  const [, dnsPort] = await proc.waitForLine(/Canary DNS listening on [\d.]+:(\d+)/, 60_000);
  const api = await waitHealthy(proc);
  const admin = await signInAdmin(api, PASSWORD);
  const slugs: string[] = [];
  const uuids: string[] = [];
  for (let i = 0; i < TOKENS; i++) {
    const token = await admin.post<{ uuid: string; callback_token: string }>(
      "/api/v1/canary/tokens",
      { kind: "http", generator: "env_file", deploy: false },
    );
    slugs.push(token.callback_token);
    uuids.push(token.uuid);
  }
  const canary = `http://127.0.0.1:${httpPort}`;
  // The listener learns tokens from the collector's snapshot: the last one answering means all do.
  await waitUntil(async () => {
    const res = await fetch(`${canary}/c/${slugs[TOKENS - 1]}`);
    await res.body?.cancel();
    return res.status === 200;
  }, { what: "the canary listener knowing the tokens", timeoutMs: 30_000 });
  await sleep(5000);
  const workers = (await admin.get<{ items: unknown[] }>("/api/v1/workers")).items.length;
  rows.push({
    label: `RSS idle, default set (${workers} workers)`,
    unit: "MB",
    values: [rssBytes(proc.pid)],
  });

  await using db = await openDatabase(`sqlite:${home}/decnet.db`);
  const repos = createRepositories(db);
  /** Hits stored for HTTP (request_path set) or DNS names starting with `qnamePrefix`. */
  const stored = async (uuid: string, qnamePrefix?: string): Promise<number> => {
    const { items } = await repos.canary.listTriggers(uuid, { limit: 100_000, offset: 0 });
    return items.filter((t) =>
      qnamePrefix === undefined
        ? t.request_path !== null
        : t.dns_qname?.toLowerCase().startsWith(qnamePrefix)
    ).reduce((n, t) => n + Number(t.hit_count), 0);
  };

  await using hello = await spawnBaseline(HELLO);
  await using echo = await spawnBaseline(ECHO);
  const files = await Deno.makeTempDir({ prefix: "up-bench-dns-" });
  const unknownNames = `${files}/unknown.txt`;
  await Deno.writeTextFile(
    unknownNames,
    Array.from({ length: 2000 }, (_, i) => `nosuch${i}xxxxxxxxxxxxxx.${ZONE} A\n`).join(""),
  );

  const r = {
    hello: [] as Measured[],
    unknown: [] as Measured[],
    known: [] as Measured[],
    acknowledged: 0,
    storedHttp: 0,
    echo: [] as Measured[],
    dnsUnknown: [] as Measured[],
    dnsKnown: [] as Measured[],
    dnsStored: [] as number[],
    me: [] as Measured[],
    tokens: [] as Measured[],
  };
  const up = proc.pid;
  const peak = peakSampler(up);
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}/${ROUNDS}...`);
    if (wrkBin) {
      const helloUrl = `http://127.0.0.1:${hello.port}/`;
      r.hello.push(await measured(hello.pid, () => wrk(helloUrl)));
      r.unknown.push(await measured(up, () => wrk(`${canary}/c/NoSuchSlugxxxxxxxxxxxx`)));
      r.hello.push(await measured(hello.pid, () => wrk(helloUrl)));
      // One token per round, so its stored hits are this round's alone.
      const uuid = uuids[round];
      let ok = 0;
      r.known.push(
        await measured(up, async () => {
          const known = await wrk(`${canary}/c/${slugs[round]}`);
          ok = known.ok;
          return known;
        }),
      );
      r.acknowledged += ok;
      // The collector ingests the journal a moment later; wrk may cut one request per connection.
      await waitUntil(async () => (await stored(uuid)) >= ok, {
        what: "acknowledged triggers stored",
        timeoutMs: 60_000,
      }).catch(() => {});
      r.storedHttp += Math.min(await stored(uuid), ok);
      r.me.push(await measured(up, () => wrk(`${api}/api/v1/auth/me`, admin.headers)));
      r.tokens.push(
        await measured(up, () => wrk(`${api}/api/v1/canary/tokens?limit=50`, admin.headers)),
      );
    }
    if (dnsperfBin) {
      r.echo.push(await measured(echo.pid, () => dnsperf(echo.port, unknownNames)));
      r.dnsUnknown.push(await measured(up, () => dnsperf(Number(dnsPort), unknownNames)));
      r.echo.push(await measured(echo.pid, () => dnsperf(echo.port, unknownNames)));
      // Names new to this round (the listener keeps one trigger per name and resolver a minute).
      const knownNames = `${files}/known${round}.txt`;
      const prefix = `r${round}d`;
      await Deno.writeTextFile(
        knownNames,
        Array.from({ length: 2000 }, (_, i) => {
          const t = 10 + (i % 10);
          return `${prefix}${i}.${slugs[t]}.${ZONE} A\n`;
        }).join(""),
      );
      r.dnsKnown.push(await measured(up, () => dnsperf(Number(dnsPort), knownNames)));
      const count = async () =>
        (await Promise.all(uuids.slice(10).map((u) => stored(u, prefix)))).reduce(
          (a, b) => a + b,
          0,
        );
      await waitUntil(async () => (await count()) >= 2000, { timeoutMs: 30_000 }).catch(() => {});
      r.dnsStored.push(await count());
    }
  }
  const peakRss = peak.stop();
  await Deno.remove(files, { recursive: true });
  // Each product row against the baseline run just before it (two baseline runs a round).
  const pairs = (xs: Measured[], offset: number) => xs.filter((_, i) => i % 2 === offset);
  if (wrkBin) {
    rows.push({
      label: "HTTP bare Deno.serve hello (baseline)",
      unit: "req/s",
      values: r.hello,
    }, {
      label: "HTTP /c/<unknown slug>",
      unit: "req/s",
      values: r.unknown,
      baselines: pairs(r.hello, 0),
      target: 0.7,
    }, {
      label: "HTTP /c/<known slug>, trigger recorded",
      unit: "req/s",
      values: r.known,
      baselines: pairs(r.hello, 1),
      target: 0.25,
      note: `acknowledged ${r.acknowledged}, stored ${r.storedHttp}, acknowledged lost ${
        r.acknowledged - r.storedHttp
      }`,
    }, {
      label: "API GET /api/v1/auth/me (authenticated)",
      unit: "req/s",
      values: r.me,
      target: 9600,
    }, {
      label: `API GET /api/v1/canary/tokens (${TOKENS} tokens)`,
      unit: "req/s",
      values: r.tokens,
      target: 6000,
    });
  }
  if (dnsperfBin) {
    rows.push({
      label: "DNS bare node:dgram echo (baseline)",
      unit: "q/s",
      values: r.echo,
    }, {
      label: "DNS unknown names (NXDOMAIN), limit off",
      unit: "q/s",
      values: r.dnsUnknown,
      baselines: pairs(r.echo, 0),
      target: 0.7,
    }, {
      label: "DNS known names (A, trigger recorded), limit off",
      unit: "q/s",
      values: r.dnsKnown,
      baselines: pairs(r.echo, 1),
      target: 0.7,
      note: `triggers stored per round ${r.dnsStored.join(", ")} (2000 distinct names)`,
    });
  }
  rows.push({
    label: "RSS peak during the loads",
    unit: "MB",
    values: [peakRss],
    target: 300 * MB,
    atMost: true,
  });
  console.log(`waiting ${IDLE_SECONDS} s idle...`);
  await sleep(IDLE_SECONDS * 1000);
  rows.push({
    label: `RSS after ${IDLE_SECONDS} s idle`,
    unit: "MB",
    values: [rssBytes(proc.pid)],
    target: 200 * MB,
    atMost: true,
  });
  console.log(
    `\nload average at the end ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}; ` +
      "ratios are against the baseline run just before, in the same round",
  );
  for (const row of rows) printRow(row);
} finally {
  await Deno.remove(home, { recursive: true });
  if (bundleDir) await Deno.remove(bundleDir, { recursive: true });
}
