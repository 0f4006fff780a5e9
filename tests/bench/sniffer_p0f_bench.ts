/**
 * OS guess agreement with p0f (Debian's p0f 3) on the same traffic. In a pair
 * of network namespaces it captures (tcpdump) the SYNs of: the real Linux
 * stack (curl), nmap -sS, hping3 -S, and python3-scapy SYNs shaped like
 * Windows, macOS, FreeBSD, OpenBSD, masscan, zmap and scapy's defaults
 * (tests/infra/send_crafted_syns.py); then runs p0f -r on the capture and
 * compares its verdict per flow with guessOs(), by family (Linux, Windows,
 * Apple, FreeBSD, OpenBSD, nmap). Prints the figure; asserts nothing.
 *
 *   deno run -A tests/bench/sniffer_p0f_bench.ts [--save tests/testdata/sniffer/syns.pcap]
 *
 * --save keeps the capture (the unit tests' fixture is one; it uses 10.77.0.0/24).
 */
import { guessOs, parseSynFrame } from "../../core/sniffer/mod.ts";
import { printLine } from "../../core/log/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { netnsUnavailable } from "../infra/netns.ts";
import { createNetnsPair } from "../infra/netns_pair.ts";
import { readPcap } from "../infra/read_pcap.ts";
import { waitUntil } from "../infra/wait_until.ts";
import {
  flowKey,
  ourFamily,
  p0fFamily,
  p0fUnavailable,
  runP0f,
} from "../core/sniffer/p0f_agreement.ts";

const missing = netnsUnavailable() ?? p0fUnavailable() ??
  ["tcpdump", "nmap", "hping3", "curl"].map((b) => findBinary(b) ? undefined : `${b} not installed`)
    .find(Boolean) ??
  (findBinary("python3") && Deno.statSync("/usr/lib/python3/dist-packages/scapy").isDirectory
    ? undefined
    : "python3-scapy not installed");
if (missing) {
  printLine(`skipped: ${missing}`);
  Deno.exit(0);
}

const saveAt = Deno.args.indexOf("--save");
const savePath = saveAt >= 0 ? Deno.args[saveAt + 1] : undefined;
const dir = await Deno.makeTempDir({ prefix: "sniffer-p0f-" });
const pcap = `${dir}/syns.pcap`;
try {
  await using pair = await createNetnsPair({ extraClientAddresses: 10, prefix: "10.77.0." });
  const target = pair.server.address;
  const capture = pair.spawn("server", [
    findBinary("tcpdump")!,
    "-i",
    pair.server.iface,
    "-U",
    "-w",
    pcap,
    "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
  ]);
  // tcpdump says "listening on" once its filter is in place.
  const stderr = capture.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  await waitUntil(async () => {
    const { value } = await stderr.read();
    said += value ?? "";
    return said.includes("listening on");
  }, { what: "tcpdump to listen" });
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
  const crafted = await pair.run("client", [
    "/usr/bin/python3",
    new URL("../infra/send_crafted_syns.py", import.meta.url).pathname,
    target,
    "10.77.0.",
  ]);
  if (crafted.code !== 0) throw new Error(`send_crafted_syns.py failed: ${crafted.stderr}`);
  // Every SYN sent above has been captured once the file holds them all (35).
  await waitUntil(() => {
    try {
      return readPcap(Deno.readFileSync(pcap)).frames.length >= 35;
    } catch {
      return false;
    }
  }, { what: "the capture to hold every SYN", timeoutMs: 10_000 }).catch(() => {});
  capture.kill("SIGINT");
  await capture.status;
  await stderr.cancel();
  await capture.stdout.cancel();

  const verdicts = await runP0f(pcap);
  const { linkType, frames } = readPcap(Deno.readFileSync(pcap));
  const seen = new Set<string>();
  let named = 0;
  let agree = 0;
  let theirsUnknown = 0;
  const rows: string[] = [];
  for (const { data } of frames) {
    const syn = parseSynFrame(data, linkType);
    if (!syn || seen.has(flowKey(syn))) continue; // p0f reports a flow once
    seen.add(flowKey(syn));
    const theirs = verdicts.get(flowKey(syn)) ?? "???";
    const ours = guessOs(syn);
    const same = p0fFamily(theirs) === ourFamily(ours);
    if (p0fFamily(theirs) === "unknown") theirsUnknown++;
    else {
      named++;
      if (same) agree++;
    }
    rows.push(`  ${flowKey(syn).padEnd(36)} p0f: ${theirs.padEnd(24)} ours: ${ours}`);
  }
  rows.forEach((r) => printLine(r));
  printLine(
    `p0f agreement: ${agree}/${named} flows p0f names agree by family ` +
      `(${(agree / named * 100).toFixed(0)}%); p0f has no match for ${theirsUnknown} more ` +
      `(${seen.size} flows, ${frames.length} SYNs)`,
  );
  if (savePath) {
    await Deno.copyFile(pcap, savePath);
    printLine(`capture saved to ${savePath}`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
