// The sniffer process (`decnet sniffer`, real libpcap over FFI) inside network
// namespaces this test makes: SYNs from the real Linux stack (curl) and crafted
// with scapy (constant IP-ID, ISN in +1 steps, TOS 0x2A) on a bridge and on
// macvlan over a veth parent (with an address of the LAN, and without one: then
// only the targets' interface, from the fleet's network config, names it) become
// fingerprint events in its journal, one per transition; a decky address added
// while it runs is captured without restart.
import assert from "node:assert/strict";
import { readJournal } from "../../core/journal/mod.ts";
import { parseTcpFingerprint } from "../../core/sniffer/parse_tcp_fingerprint.ts";
import { snifferSpoolPaths } from "../../core/sniffer/sniffer_spool_paths.ts";
import { parseSnifferStatus } from "../../core/sniffer/sniffer_status.ts";
import { writeSnifferTargets } from "../../core/sniffer/sniffer_targets.ts";
import type { TcpFingerprint } from "../../core/sniffer/tcp_fingerprint.ts";
import { craftSyns, snifferTestsUnavailable } from "../infra/crafted_syns.ts";
import { createDeckyLan } from "../infra/decky_lan.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

const unavailable = snifferTestsUnavailable();

async function journalEvents(home: string): Promise<TcpFingerprint[]> {
  const read = await readJournal(snifferSpoolPaths(home).journalDir, { segment: 0, offset: 0 }, {
    maxRecords: 10_000,
  });
  return read.records.map((r) => parseTcpFingerprint(JSON.parse(r.text)));
}

const CASES = [
  { kind: "bridge", parentAddress: true, what: "a bridge network" },
  { kind: "macvlan", parentAddress: true, what: "a macvlan network" },
  { kind: "macvlan", parentAddress: false, what: "a macvlan network whose parent has no address" },
] as const;

for (const { kind, parentAddress, what } of CASES) {
  Deno.test({
    name: `decnet sniffer fingerprints SYNs to deckies on ${what}${
      unavailable ? ` (skipped: ${unavailable})` : ""
    }`,
    ignore: unavailable !== undefined,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      await using lan = await createDeckyLan(kind, { parentAddress });
      // The collector names the interface from the Docker network (here: none has an address).
      const iface = parentAddress ? {} : { interface: lan.hostInterface };
      const home = await Deno.makeTempDir({ prefix: "sniffer-capture-" });
      try {
        const paths = snifferSpoolPaths(home);
        await writeSnifferTargets(paths.targetsFile, [{
          name: "ws-01",
          ip: lan.deckyIp,
          ...iface,
        }]);
        await using proc = spawnDecnet(["sniffer"], {
          cwd: home,
          env: { DECNET_HOME: home, DECNET_LOG_LEVEL: "info" },
        });
        await proc.waitForLine(
          new RegExp(`capturing interface=${lan.hostInterface} deckies=${lan.deckyIp}$`),
        );

        // Crafted: constant IP-ID, ISN +1 per SYN, TOS 0x2A.
        await craftSyns(lan, { to: lan.deckyIp, count: 8, ipId: 4242, isn: 1000, tos: 0x2a });
        let events: TcpFingerprint[] = [];
        await waitUntil(async () => {
          events = (await journalEvents(home)).filter((e) => e.src_ip === lan.attackerIp);
          return events.length >= 2 && events.at(-1)!.ipid_samples === 4;
        }, {
          what: `the crafted SYNs' fingerprints in the journal; got ${JSON.stringify(events)}`,
        });
        // One event on first sight (classes unknown), one when 4 samples classify: no more.
        assert.deepEqual(
          events.map((e) => [e.ipid_class, e.isn_class, e.ipid_samples]),
          [["unknown", "unknown", 1], ["constant", "incremental", 4]],
        );
        const last = events.at(-1)!;
        assert.equal(last.decky, lan.deckyIp);
        assert.equal(last.dst_port, 80);
        assert.equal(last.tos, "42");
        assert.equal(last.dscp, 10);
        assert.equal(last.ecn, 2);
        assert.equal(last.window, 1024);
        assert.equal(last.ttl, 64);
        assert.equal(last.hop_distance, 0);

        // A decky deployed while the sniffer runs: captured once the targets name it.
        const second = `${lan.prefix}.11`;
        await lan.addDeckyAddress(second);
        await writeSnifferTargets(paths.targetsFile, [
          { name: "ws-01", ip: lan.deckyIp, ...iface },
          { name: "ws-02", ip: second, ...iface },
        ]);
        await proc.waitForLine(
          new RegExp(
            `capturing interface=${lan.hostInterface} deckies=${lan.deckyIp},${second}$`,
          ),
        );
        // The real Linux stack: curl's SYN (the decky answers RST; the SYN is what counts).
        const curl = await lan.attacker([
          "curl",
          "-s",
          "--max-time",
          "5",
          `http://${second}:8080/`,
        ]);
        assert.equal(curl.code, 7, "curl: connection refused by the decky");
        let linux: TcpFingerprint | undefined;
        await waitUntil(async () => {
          linux = (await journalEvents(home)).find((e) => e.decky === second);
          return linux !== undefined;
        }, { what: "curl's SYN to the new decky" });
        assert.equal(linux!.src_ip, lan.attackerIp);
        assert.equal(linux!.has_sack, true);
        assert.equal(linux!.has_timestamps, true);
        assert.equal(linux!.tos, "0");
        assert.match(linux!.os_guess, /Linux/);
        // Unknown source addresses, other deckies' replies: nothing else was journaled.
        assert.ok((await journalEvents(home)).every((e) => e.src_ip === lan.attackerIp));

        assert.equal((await proc.close()).code, 0);
        assert.ok(proc.lines.some((l) => /sniffer stopped received=\d+ dropped=0/.test(l)));
        // Its last status (what the collector publishes as system.sniffer.health) says so too.
        const status = parseSnifferStatus(await Deno.readTextFile(paths.statusFile));
        assert.equal(status.running, false);
        assert.equal(status.dropped, 0);
        assert.ok(status.syns >= 9 && status.received >= status.syns, JSON.stringify(status));
        assert.equal(status.events, (await journalEvents(home)).length);
        assert.equal(status.flows, 1);
      } finally {
        await Deno.remove(home, { recursive: true });
      }
    },
  });
}
