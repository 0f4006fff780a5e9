import { scapyUnavailable, sendCraftedSyns } from "./crafted_syns.ts";
import { findBinary } from "./find_binary.ts";
import type { NetnsPair } from "./netns_pair.ts";
import { readPcap } from "./read_pcap.ts";
import { netnsUnavailable } from "./run_ip.ts";
import { waitUntil } from "./wait_until.ts";

/** What every SYN test sends from the client namespace, with the SYN count it makes. */
export const STANDARD_SYNS = 35;

/**
 * Runs tcpdump (kernel filter: SYN without ACK) on the server end of `pair`,
 * calls `send`, waits until `expected` SYNs are in the file (or 10 s), stops
 * tcpdump and returns the pcap path (in `dir`).
 */
export async function captureSyns(
  pair: NetnsPair,
  options: { dir: string; expected: number; send: () => Promise<void> },
): Promise<string> {
  const pcap = `${options.dir}/syns.pcap`;
  const capture = pair.spawn("server", [
    findBinary("tcpdump")!,
    "-i",
    pair.server.iface,
    "-U",
    "-w",
    pcap,
    "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
  ]);
  const stderr = capture.stderr.pipeThrough(new TextDecoderStream()).getReader();
  try {
    // tcpdump says "listening on" once its filter is in place.
    let said = "";
    await waitUntil(async () => {
      const { value, done } = await stderr.read();
      if (done) throw new Error(`tcpdump ended: ${said}`);
      said += value;
      return said.includes("listening on");
    }, { what: "tcpdump to listen" });
    await options.send();
    await waitUntil(() => {
      try {
        return readPcap(Deno.readFileSync(pcap)).frames.length >= options.expected;
      } catch {
        return false; // not written yet
      }
    }, { what: `${options.expected} SYNs in the capture`, timeoutMs: 10_000 });
  } finally {
    capture.kill("SIGINT");
    await capture.status;
    await stderr.cancel();
    await capture.stdout.cancel();
  }
  return pcap;
}

/**
 * Sends the standard SYN mix from the client namespace: 2 curl connects
 * (the real Linux stack), nmap -sS of 3 ports, 3 hping3 -S, then the
 * python3-scapy profiles of send_crafted_syns.py from client .10-.19
 * (create the pair with extraClientAddresses 10). {@linkcode STANDARD_SYNS} SYNs.
 */
export async function sendStandardSyns(pair: NetnsPair): Promise<void> {
  const target = pair.server.address;
  const prefix = target.slice(0, target.lastIndexOf(".") + 1);
  for (const port of [8081, 8082]) {
    await pair.run("client", [findBinary("curl")!, "-s", "-m", "1", `http://${target}:${port}/`]);
  }
  await pair.run("client", [findBinary("nmap")!, "-sS", "-Pn", "-n", "-p", "22,80,443", target]);
  await pair.run("client", [
    findBinary("hping3")!,
    "-S",
    "-c",
    "3",
    "-i",
    "u10000",
    "-p",
    "80",
    target,
  ]);
  await sendCraftedSyns((argv) => pair.run("client", argv), ["profiles", target, prefix]);
}

/** Why the standard SYN capture cannot run here, or undefined when it can. */
export function synCaptureUnavailable(): string | undefined {
  for (const binary of ["tcpdump", "nmap", "hping3", "curl"]) {
    if (!findBinary(binary)) return `${binary} not installed`;
  }
  return scapyUnavailable() ?? netnsUnavailable();
}
