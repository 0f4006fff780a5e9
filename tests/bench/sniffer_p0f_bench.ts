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
import {
  captureSyns,
  sendStandardSyns,
  STANDARD_SYNS,
  synCaptureUnavailable,
} from "../infra/capture_syns.ts";
import { createNetnsPair } from "../infra/netns_pair.ts";
import { readPcap } from "../infra/read_pcap.ts";
import {
  flowKey,
  ourFamily,
  p0fFamily,
  p0fUnavailable,
  runP0f,
} from "../core/sniffer/p0f_agreement.ts";

const missing = synCaptureUnavailable() ?? p0fUnavailable();
if (missing) {
  printLine(`skipped: ${missing}`);
  Deno.exit(0);
}

const saveAt = Deno.args.indexOf("--save");
const savePath = saveAt >= 0 ? Deno.args[saveAt + 1] : undefined;
const dir = await Deno.makeTempDir({ prefix: "sniffer-p0f-" });
try {
  await using pair = await createNetnsPair({ extraClientAddresses: 10, prefix: "10.77.0." });
  const pcap = await captureSyns(pair, {
    dir,
    expected: STANDARD_SYNS,
    send: () => sendStandardSyns(pair),
  });
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
