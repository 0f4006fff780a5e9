import { readPcap } from "../../infra/read_pcap.ts";
import type { PcapFile } from "../../infra/read_pcap.ts";

/**
 * Path of SYNs captured with tcpdump in a network namespace pair
 * (tests/bench/sniffer_p0f_bench.ts --save writes it): two curl connects from
 * the Linux stack (10.77.0.2), an nmap -sS of three ports, three hping3 -S,
 * then python3-scapy SYNs from 10.77.0.10-19 (tests/infra/send_crafted_syns.py):
 * Windows 10, Windows 7, macOS, FreeBSD, OpenBSD, masscan, zmap, scapy
 * defaults, an incremental-IP-ID/constant-ISN/TOS 0x2A source and a
 * zero-IP-ID/incremental-ISN source.
 */
export const SYN_FIXTURE = new URL("../../testdata/sniffer/syns.pcap", import.meta.url);

/** The fixture's frames (Ethernet). */
export function loadSynFixture(): PcapFile {
  return readPcap(Deno.readFileSync(SYN_FIXTURE));
}
