import { findLibrary, LIBPCAP_NAME } from "../../core/sniffer/libpcap.ts";
import { type DeckyLan, deckyLanUnavailable } from "./decky_lan.ts";
import { findBinary } from "./find_binary.ts";

/** Debian's Python, which python3-scapy installs into (a python3 earlier on PATH may lack it). */
const PYTHON = "/usr/bin/python3";

/** Why the sniffer's live tests cannot run here (namespaces, libpcap, curl, scapy), or undefined. */
export async function snifferTestsUnavailable(): Promise<string | undefined> {
  const missing = deckyLanUnavailable() ??
    (findLibrary(LIBPCAP_NAME) ? undefined : "libpcap0.8 not installed") ??
    (findBinary("curl") ? undefined : "curl not installed");
  if (missing) return missing;
  const out = await new Deno.Command(PYTHON, {
    args: ["-c", "import scapy.all"],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  return out.success ? undefined : "python3-scapy not installed";
}

/** Options for {@linkcode craftSyns}. */
export interface CraftSynsOptions {
  /** The decky address. */
  to: string;
  count: number;
  /** IP-ID of every SYN; null: random per SYN. */
  ipId: number | null;
  /** ISN of the first SYN; each next one is +1. */
  isn: number;
  tos: number;
}

/**
 * Sends `count` SYNs to `to` from the attacker's namespace with scapy
 * (port 80, window 1024, no options), with the IP-ID, ISN and TOS asked.
 *
 * @throws {Error} with scapy's output when it fails
 */
export async function craftSyns(lan: DeckyLan, o: CraftSynsOptions): Promise<void> {
  const script = [
    "import random",
    "from scapy.all import IP, TCP, send, conf",
    "conf.verb = 0",
    `pkts = [IP(dst="${o.to}", id=${o.ipId ?? "random.randrange(65536)"}, tos=${o.tos}) / ` +
    `TCP(sport=41000 + i, dport=80, flags="S", seq=${o.isn} + i, window=1024) for i in range(${o.count})]`,
    "send(pkts, inter=0.01)",
  ].join("\n");
  const out = await lan.attacker([PYTHON, "-c", script]);
  if (out.code !== 0) throw new Error(`scapy failed: ${out.stderr}`);
}
