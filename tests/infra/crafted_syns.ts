import { findLibrary, LIBPCAP_NAME } from "../../core/sniffer/libpcap.ts";
import type { DeckyLan } from "./decky_lan.ts";
import { findBinary } from "./find_binary.ts";
import { type IpOutput, netnsUnavailable } from "./run_ip.ts";

/** Debian's Python, which python3-scapy installs into (a python3 earlier on PATH may lack it). */
const PYTHON = "/usr/bin/python3";
const SCRIPT = new URL("./send_crafted_syns.py", import.meta.url).pathname;

/** Why scapy cannot craft SYNs here (python3-scapy missing), or undefined. */
export function scapyUnavailable(): string | undefined {
  try {
    const out = new Deno.Command(PYTHON, {
      args: ["-c", "import scapy.all"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return out.success ? undefined : "python3-scapy not installed";
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    return `${PYTHON} not installed`;
  }
}

/** Why the sniffer's live tests cannot run here (namespaces, libpcap, curl, scapy), or undefined. */
export function snifferTestsUnavailable(): string | undefined {
  return netnsUnavailable() ??
    (findLibrary(LIBPCAP_NAME) ? undefined : "libpcap0.8 not installed") ??
    (findBinary("curl") ? undefined : "curl not installed") ??
    scapyUnavailable();
}

/**
 * Runs send_crafted_syns.py with args through `run` (a namespace's exec).
 *
 * @example
 * ```ts
 * import type { NetnsPair } from "./netns_pair.ts";
 * import { sendCraftedSyns } from "./crafted_syns.ts";
 * declare const pair: NetnsPair;
 * await sendCraftedSyns((argv) => pair.run("client", argv), ["profiles", "10.77.0.1", "10.77.0."]);
 * ```
 * @throws {Error} with the script's output when it fails
 */
export async function sendCraftedSyns(
  run: (argv: string[]) => Promise<IpOutput>,
  args: string[],
): Promise<void> {
  const out = await run([PYTHON, SCRIPT, ...args]);
  if (out.code !== 0) {
    throw new Error(`send_crafted_syns.py ${args.join(" ")} failed: ${out.stderr}`);
  }
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
  await sendCraftedSyns(lan.attacker, [
    "sequence",
    o.to,
    `${o.count}`,
    o.ipId === null ? "random" : `${o.ipId}`,
    `${o.isn}`,
    `${o.tos}`,
  ]);
}
