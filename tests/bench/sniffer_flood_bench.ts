/**
 * Sniffer under a SYN flood (issue 17): `hping3 --flood` from an attacker
 * namespace at a decky on a bridge (namespaces this script makes) for 10 s,
 * once from one source and once from random sources (every SYN a new
 * source: one event each, the journal's worst case). The sniffer is the
 * real child `decnet up` starts (same command line and permissions).
 * Prints SYNs/s processed, CPU per 10k SYNs, peak RSS, kernel drops and
 * events journaled. Needs root, iproute2, hping3 and libpcap0.8.
 *
 *   deno run -A tests/bench/sniffer_flood_bench.ts
 */
import { Logger } from "../../core/log/mod.ts";
import { findLibrary, LIBC_NAME, LIBPCAP_NAME } from "../../core/sniffer/libpcap.ts";
import { snifferCommandLine } from "../../core/sniffer/sniffer_command_line.ts";
import { snifferSpoolPaths } from "../../core/sniffer/sniffer_spool_paths.ts";
import { writeSnifferTargets } from "../../core/sniffer/sniffer_targets.ts";
import { createDeckyLan } from "../infra/decky_lan.ts";
import { findBinary } from "../infra/find_binary.ts";
import { netnsUnavailable } from "../infra/run_ip.ts";

const FLOOD_SECONDS = 10;
const unavailable = netnsUnavailable() ??
  (findBinary("hping3") ? undefined : "hping3 not installed") ??
  (findLibrary(LIBPCAP_NAME) ? undefined : "libpcap0.8 not installed");
if (unavailable) {
  console.log(`skipped: ${unavailable}`);
  Deno.exit(0);
}
const TICKS = 100; // USER_HZ on Linux
const log = new Logger({ level: "warn" });

function procStat(pid: number): { cpuSeconds: number; rssKb: number } {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS;
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds, rssKb };
}

async function flood(randomSources: boolean): Promise<void> {
  await using lan = await createDeckyLan("bridge");
  const home = await Deno.makeTempDir({ prefix: "sniffer-bench-" });
  try {
    const paths = snifferSpoolPaths(home);
    await writeSnifferTargets(paths.targetsFile, [{ name: "ws-01", ip: lan.deckyIp }]);
    await Deno.mkdir(paths.journalDir, { recursive: true });
    const line = snifferCommandLine({
      execPath: Deno.execPath(),
      mainModule: new URL("../../main.ts", import.meta.url).href,
      home,
      logLevel: "info",
      libpcap: findLibrary(LIBPCAP_NAME)!,
      libc: findLibrary(LIBC_NAME)!,
      env: Deno.env.toObject(),
    });
    const child = new Deno.Command(line.command, {
      args: line.args,
      env: line.env,
      clearEnv: true,
      cwd: line.cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const lines: string[] = [];
    let capturing!: () => void;
    const started = new Promise<void>((r) => capturing = r);
    const reading = (async () => {
      let buffered = "";
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        buffered += chunk;
        let nl;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const l = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          lines.push(l);
          if (l.includes(" capturing ")) capturing();
        }
      }
    })();
    await started;
    const before = procStat(child.pid);
    let peakRssKb = before.rssKb;
    const sampler = setInterval(() => {
      peakRssKb = Math.max(peakRssKb, procStat(child.pid).rssKb);
    }, 250);
    const hping = await lan.attacker([
      "timeout",
      "-s",
      "INT",
      String(FLOOD_SECONDS),
      "hping3",
      "--flood",
      "-S",
      "-p",
      "80",
      ...(randomSources ? ["--rand-source"] : []),
      lan.deckyIp,
    ]);
    const sent = /(\d+) packets transmitted/.exec(hping.stdout + hping.stderr)?.[1] ?? "?";
    // The sniffer drains what the kernel buffered before stopping.
    clearInterval(sampler);
    const after = procStat(child.pid);
    child.kill("SIGTERM");
    await child.status;
    await reading;
    const stopped = lines.find((l) => l.includes("sniffer stopped")) ?? "";
    const field = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(stopped)?.[1] ?? NaN);
    const syns = field("syns");
    const cpu = after.cpuSeconds - before.cpuSeconds;
    console.log(
      `${
        randomSources ? "random sources" : "one source   "
      }: sent ${sent} SYNs in ${FLOOD_SECONDS} s; ` +
        `processed ${syns} (${Math.round(syns / FLOOD_SECONDS)}/s), kernel received ${
          field("received")
        }, dropped ${field("dropped")}, if-dropped ${field("if_dropped")}; events ${
          field("events")
        }, lost ${field("lost")}; CPU ${cpu.toFixed(2)} s (${
          (cpu / (syns / 10_000)).toFixed(3)
        } s per 10k SYNs); RSS ${Math.round(before.rssKb / 1024)} MiB before, peak ${
          Math.round(peakRssKb / 1024)
        } MiB`,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

log.debug("sniffer bench");
await flood(false);
await flood(true);
