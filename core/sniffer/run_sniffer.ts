import { JournalWriter } from "../journal/journal_writer.ts";
import type { Logger } from "../log/mod.ts";
import { ActiveProber } from "./active_prober.ts";
import { CaptureLoop } from "./capture_loop.ts";
import { capturePlan, type HostAddress } from "./capture_plan.ts";
import { findLibrary, LIBC_NAME, LIBPCAP_NAME, openCaptureLibraries } from "./libpcap.ts";
import { parseSynFrame } from "./parse_syn_frame.ts";
import { PcapCapture } from "./pcap_capture.ts";
import { pollFds } from "./poll_fds.ts";
import { ProbePolicy } from "./probe_policy.ts";
import { snifferSpoolPaths } from "./sniffer_spool_paths.ts";
import { parseSnifferTargets, type SnifferTarget } from "./sniffer_targets.ts";
import {
  SNIFFER_STATUS_EVERY_MS,
  type SnifferCounters,
  type SnifferStatus,
  writeSnifferStatus,
} from "./sniffer_status.ts";
import { SynTracker } from "./syn_tracker.ts";

/** Bound of the fingerprint journal on disk; events beyond it are lost (counted, logged). */
export const SNIFFER_JOURNAL_MAX_BYTES = 64 * 1024 ** 2;

/** Journal appends waiting for their sync at once before the capture waits for one. */
const MAX_APPENDS_IN_FLIGHT = 16;

/** Options for {@linkcode runSniffer}. */
export interface RunSnifferOptions {
  /** DECNET_HOME: the spool (targets in, journal out) is under it. */
  home: string;
  /** libpcap's path. @default found in the usual library directories */
  libpcap?: string | null;
  /** libc's path (poll). @default found in the usual library directories */
  libc?: string | null;
  log: Logger;
  signal: AbortSignal;
  /** How often the targets file and the host's interfaces are looked at. @default 1000 */
  targetsEveryMs?: number;
  /** How often capture counters are logged. @default 30000 */
  statsEveryMs?: number;
  /** How often the status file (counters the collector publishes as health) is rewritten. @default 5000 */
  statusEveryMs?: number;
  /** The host's interface addresses. @default Deno.networkInterfaces */
  hostAddresses?: () => HostAddress[];
  /** The active prober (DECNET_PROBER=on); absent or null: off. */
  prober?: SnifferProberConfig | null;
}

/** Settings of the active prober (DECNET_PROBER_ALLOW, _PORTS, _RATE). */
export interface SnifferProberConfig {
  /** CIDR blocks that may be probed; empty: none. */
  allow: readonly string[];
  ports: readonly number[];
  /** Probes per minute, all sources together. */
  ratePerMinute: number;
  /** How long a probe waits for answers. @default 2000 */
  timeoutMs?: number;
}

/**
 * The sniffer process's job: captures client SYNs to the deckies named in
 * the targets snapshot (re-read every second, so deploys and teardowns
 * apply without restart) on the host interface of each, fingerprints them
 * and appends each fingerprint event to its journal (fsync'd) for the
 * collector. Holds no secret and opens no socket. Returns when `signal`
 * aborts, with its counters.
 *
 * @throws {Error} when libpcap or libc cannot be loaded
 * @example
 * ```ts
 * import { Logger } from "../log/mod.ts";
 * import { runSniffer } from "./run_sniffer.ts";
 * const stop = new AbortController();
 * Deno.addSignalListener("SIGTERM", () => stop.abort());
 * await runSniffer({ home: "/var/lib/decnet", log: new Logger(), signal: stop.signal });
 * ```
 */
export async function runSniffer(options: RunSnifferOptions): Promise<SnifferCounters> {
  const { log, signal } = options;
  const pcapPath = options.libpcap ?? findLibrary(LIBPCAP_NAME);
  const libcPath = options.libc ?? findLibrary(LIBC_NAME);
  if (!pcapPath) {
    throw new Error(
      `Cannot start the sniffer: ${LIBPCAP_NAME} not found (install Debian's libpcap0.8, or set DECNET_SNIFFER_LIBPCAP)`,
    );
  }
  if (!libcPath) throw new Error(`Cannot start the sniffer: ${LIBC_NAME} not found`);
  using libs = openCaptureLibraries(pcapPath, libcPath);
  const paths = snifferSpoolPaths(options.home);
  await using journal = await JournalWriter.open(paths.journalDir, {
    maxBytes: SNIFFER_JOURNAL_MAX_BYTES,
    log,
    // Capture keeps reading while a commit syncs (on this thread it waited: more kernel drops).
    offThread: true,
  });
  const tracker = new SynTracker();
  const proberConfig = options.prober ?? null;
  await using prober = proberConfig
    ? new ActiveProber({
      policy: new ProbePolicy({
        allow: proberConfig.allow,
        ratePerMinute: proberConfig.ratePerMinute,
      }),
      ports: proberConfig.ports,
      open: (iface) => PcapCapture.open(libs, iface, { promiscuous: true }),
      poll: (fds, timeoutMs) => pollFds(libs.libc, { fds, timeoutMs }),
      record: async (probe) => {
        if (!(await journal.append([JSON.stringify(probe)]))) log.warn("probe lost: journal full");
      },
      log,
      random: Math.random,
      now: () => new Date(),
      timeoutMs: proberConfig.timeoutMs,
    })
    : null;
  if (proberConfig) {
    log.info("prober on", {
      allow: proberConfig.allow.join(",") || "(none)",
      ports: proberConfig.ports.join(","),
      per_minute: proberConfig.ratePerMinute,
    });
  }
  let syns = 0;
  let events = 0;
  const appending = new Set<Promise<void>>();
  const loop = new CaptureLoop({
    // A bridge needs it to pass up what it forwards; sysfs, which tells one apart, is out of reach.
    open: (iface) => PcapCapture.open(libs, iface, { promiscuous: true }),
    poll: (fds, timeoutMs) => pollFds(libs.libc, { fds, timeoutMs }),
    log,
    onFrames: async (frames, source) => {
      const lines: string[] = [];
      for (const frame of frames) {
        const packet = parseSynFrame(frame.bytes, source.linkType);
        if (!packet) continue;
        syns++;
        const event = tracker.observe(packet, new Date(frame.at));
        if (!event) continue;
        lines.push(JSON.stringify(event));
        // Every new stack key offers the source; the policy probes it once (per hour) at most.
        prober?.offer({ iface: source.interface, frame, linkType: source.linkType, packet });
      }
      if (lines.length === 0) return;
      // Not awaited one by one: appends made while a sync runs share the next one (group
      // commit), so a flood of new sources costs a sync per batch, not per read.
      const append = journal.append(lines).then((stored) => {
        if (stored) events += lines.length;
      }, (e) => log.error("cannot journal fingerprints", { error: String(e) }))
        .finally(() => appending.delete(append));
      appending.add(append);
      // Bounded: past this many batches in flight, capture waits for the disk.
      if (appending.size >= MAX_APPENDS_IN_FLIGHT) await Promise.race(appending);
    },
  });
  const stats = (): SnifferCounters => {
    const s = loop.stats();
    return {
      received: s.received,
      dropped: s.dropped,
      if_dropped: s.ifDropped,
      syns,
      events,
      lost: journal.stats().lost,
      flows: tracker.size,
      interfaces: s.interfaces,
    };
  };
  const startedAt = new Date().toISOString();
  const writeStatus = async (running: boolean) => {
    const status: SnifferStatus = {
      at: new Date().toISOString(),
      started_at: startedAt,
      running,
      ...stats(),
      ...(prober ? { probes: prober.stats() } : {}),
    };
    try {
      await writeSnifferStatus(paths.statusFile, status);
    } catch (e) {
      log.warn("cannot write the sniffer status", { error: String(e) });
    }
  };
  const hostAddresses = options.hostAddresses ??
    (() => Deno.networkInterfaces() as HostAddress[]);
  let lastText: string | null = null;
  let targets: SnifferTarget[] = [];
  let lastUnplaced = "";
  const refresh = async () => {
    try {
      const text = await Deno.readTextFile(paths.targetsFile);
      if (text !== lastText) {
        targets = parseSnifferTargets(text);
        lastText = text;
        log.info("targets read", { deckies: targets.length });
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) {
        log.warn("cannot read the targets; keeping the last", { error: String(e) });
      }
    }
    // Interfaces come and go with their networks: planned again on every look.
    const plan = capturePlan(targets, hostAddresses());
    const unplaced = plan.unplaced.map((t) => `${t.name}=${t.ip}`).join(",");
    if (unplaced && unplaced !== lastUnplaced) {
      log.warn("no host interface holds these deckies' networks; not captured", {
        deckies: unplaced,
      });
    }
    lastUnplaced = unplaced;
    loop.plan(plan.interfaces);
  };
  await refresh();
  const targetsTimer = setInterval(() => {
    refresh().catch((e) => log.error("cannot plan the capture", { error: String(e) }));
  }, options.targetsEveryMs ?? 1000);
  const statsTimer = setInterval(
    () => log.info("capture counters", logFields(stats())),
    options.statsEveryMs ?? 30_000,
  );
  await writeStatus(true);
  const statusTimer = setInterval(
    () => void writeStatus(true),
    options.statusEveryMs ?? SNIFFER_STATUS_EVERY_MS,
  );
  try {
    log.info("sniffer running", { spool: paths.dir });
    await loop.run(signal);
  } finally {
    clearInterval(targetsTimer);
    clearInterval(statsTimer);
    clearInterval(statusTimer);
    // Probes under way end within their timeout; the last status counts them.
    await prober?.close();
    await Promise.all(appending);
  }
  await writeStatus(false);
  const final = stats();
  log.info("sniffer stopped", logFields(final));
  return final;
}

/** The counters as log fields: the interfaces as one comma-separated value, as they always were. */
function logFields(counters: SnifferCounters): Record<string, number | string> {
  return { ...counters, interfaces: counters.interfaces.join(",") };
}
