import { findBinary } from "../../infra/find_binary.ts";
import { OS_SIGNATURES, UNKNOWN_OS } from "../../../core/sniffer/mod.ts";
import type { SynPacket } from "../../../core/sniffer/mod.ts";

/** Why p0f cannot run here, or undefined when it can. */
export function p0fUnavailable(): string | undefined {
  if (!findBinary("p0f")) return "p0f not installed (Debian package p0f)";
  return undefined;
}

/** "cli/port>srv/port", the key p0f's log and our SYNs share. */
export function flowKey(syn: SynPacket): string {
  return `${syn.srcIp}/${syn.srcPort}>${syn.dstIp}/${syn.dstPort}`;
}

/**
 * Runs Debian's p0f over a pcap file and returns its verdict per SYN flow:
 * the `os=` (or, for tools, `app=`) field of each `mod=syn` line, "???"
 * when p0f has no match. p0f reports a flow once, so retransmissions share it.
 */
export async function runP0f(pcapPath: string): Promise<Map<string, string>> {
  const dir = await Deno.makeTempDir({ prefix: "p0f-" });
  try {
    const log = `${dir}/p0f.log`;
    const out = await new Deno.Command(findBinary("p0f")!, {
      args: ["-r", pcapPath, "-o", log],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (out.code !== 0) throw new Error(`p0f failed: ${new TextDecoder().decode(out.stderr)}`);
    const verdicts = new Map<string, string>();
    for (const line of (await Deno.readTextFile(log)).split("\n")) {
      if (!line.includes("mod=syn|")) continue;
      const fields = new Map(
        line.slice(line.indexOf("mod=")).split("|").map((part) => {
          const at = part.indexOf("=");
          return [part.slice(0, at), part.slice(at + 1)] as [string, string];
        }),
      );
      const key = `${fields.get("cli")}>${fields.get("srv")}`;
      if (!verdicts.has(key)) verdicts.set(key, fields.get("os") ?? fields.get("app") ?? "???");
    }
    return verdicts;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const P0F_FAMILIES: [RegExp, string][] = [
  [/Linux|Android/, "Linux"],
  [/Windows/, "Windows"],
  [/Mac ?OS|iOS/, "Apple"],
  [/FreeBSD/, "FreeBSD"],
  [/OpenBSD/, "OpenBSD"],
  [/NMap/i, "nmap"],
];

/** The family of a p0f label, in the terms of our table ("unknown" for "???"). */
export function p0fFamily(label: string): string {
  return P0F_FAMILIES.find(([pattern]) => pattern.test(label))?.[1] ?? UNKNOWN_OS;
}

/** The family of one of our labels. */
export function ourFamily(label: string): string {
  return OS_SIGNATURES.find((entry) => entry.label === label)?.family ?? UNKNOWN_OS;
}
