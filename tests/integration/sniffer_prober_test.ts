// The sniffer's optional active prober (DECNET_PROBER=on), real libpcap over FFI,
// inside network namespaces this test makes: a source inside DECNET_PROBER_ALLOW
// is probed once after its first SYN (a SYN per configured port from the decky it
// touched): its open port answers SYN-ACK (TTL, window, options, ISN recorded), its
// closed port RST, its firewalled port nothing. A source outside the allow list is
// never probed; later SYN events of the probed source probe it no more. On a
// bridge, and through a macvlan parent that holds no address.
import assert from "node:assert/strict";
import { readJournal } from "../../core/journal/mod.ts";
import { snifferSpoolPaths } from "../../core/sniffer/sniffer_spool_paths.ts";
import { parseSnifferStatus } from "../../core/sniffer/sniffer_status.ts";
import { writeSnifferTargets } from "../../core/sniffer/sniffer_targets.ts";
import { parseTcpProbe, type TcpProbe } from "../../core/sniffer/tcp_probe.ts";
import { craftSyns, snifferTestsUnavailable } from "../infra/crafted_syns.ts";
import { createDeckyLan } from "../infra/decky_lan.ts";
import { findBinary } from "../infra/find_binary.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

const unavailable = snifferTestsUnavailable() ??
  (findBinary("nft") ? undefined : "nft not installed (Debian package nftables)");

const OPEN = 8022;
const CLOSED = 8023;
const FILTERED = 8024;

async function journalLines(home: string): Promise<Record<string, unknown>[]> {
  const read = await readJournal(snifferSpoolPaths(home).journalDir, { segment: 0, offset: 0 }, {
    maxRecords: 10_000,
  });
  return read.records.map((r) => JSON.parse(r.text));
}

for (const kind of ["bridge", "macvlan"] as const) {
  Deno.test({
    name: `decnet sniffer with DECNET_PROBER=on probes allowed sources once on a ${kind} network${
      unavailable ? ` (skipped: ${unavailable})` : ""
    }`,
    ignore: unavailable !== undefined,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      // macvlan: the probes leave through a parent holding no address (named by the targets).
      await using lan = await createDeckyLan(kind, { parentAddress: kind === "bridge" });
      const iface = kind === "macvlan" ? { interface: lan.hostInterface } : {};
      const home = await Deno.makeTempDir({ prefix: "sniffer-prober-" });
      // The attacker's host: a listener on OPEN, nothing on CLOSED, FILTERED dropped by its firewall.
      const listener = lan.spawnAttacker([
        "/usr/bin/python3",
        "-c",
        `import socket,time\ns=socket.socket()\ns.bind(("0.0.0.0",${OPEN}))\ns.listen()\ntime.sleep(120)`,
      ]);
      try {
        const rules = await lan.attacker([
          "nft",
          `add table inet t; add chain inet t in { type filter hook input priority 0; }; add rule inet t in tcp dport ${FILTERED} drop`,
        ]);
        assert.equal(rules.code, 0, rules.stderr);
        await waitUntil(async () => {
          const ss = await lan.attacker(["ss", "-ltnH", `sport = :${OPEN}`]);
          return ss.stdout.includes(`:${OPEN}`);
        }, { what: "the attacker's listener" });

        const paths = snifferSpoolPaths(home);
        await writeSnifferTargets(paths.targetsFile, [{
          name: "ws-01",
          ip: lan.deckyIp,
          ...iface,
        }]);
        await using proc = spawnDecnet(["sniffer"], {
          cwd: home,
          env: {
            DECNET_HOME: home,
            DECNET_LOG_LEVEL: "info",
            DECNET_PROBER: "on",
            DECNET_PROBER_ALLOW: `${lan.attackerIp}/32`,
            DECNET_PROBER_PORTS: `${OPEN},${CLOSED},${FILTERED}`,
          },
        });
        await proc.waitForLine(
          new RegExp(`capturing interface=${lan.hostInterface} deckies=${lan.deckyIp}$`),
        );

        // Two fingerprint events of the allowed source (first sight, classes formed): one probe.
        await craftSyns(lan, { to: lan.deckyIp, count: 8, ipId: 4242, isn: 1000, tos: 0x2a });
        let probes: TcpProbe[] = [];
        await waitUntil(async () => {
          probes = (await journalLines(home)).filter((l) => l.kind === "tcp_probe").map(
            parseTcpProbe,
          );
          return probes.length > 0;
        }, { what: "the probe in the journal" });

        // A source outside the allow list: its SYN is fingerprinted, never probed.
        const outsider = `${lan.prefix}.3`;
        const added = await lan.attacker(["ip", "addr", "add", `${outsider}/24`, "dev", "eth0"]);
        assert.equal(added.code, 0, added.stderr);
        await lan.attacker([
          "curl",
          "-s",
          "--max-time",
          "5",
          "--interface",
          outsider,
          `http://${lan.deckyIp}:8080/`,
        ]);
        await waitUntil(async () => {
          return (await journalLines(home)).some((l) => l.src_ip === outsider);
        }, { what: "the outsider's fingerprint" });
        assert.equal((await proc.close()).code, 0);

        const lines = await journalLines(home);
        probes = lines.filter((l) => l.kind === "tcp_probe").map(parseTcpProbe);
        assert.equal(probes.length, 1, JSON.stringify(probes));
        const [probe] = probes;
        assert.equal(probe.src_ip, lan.attackerIp);
        assert.equal(probe.decky, lan.deckyIp);
        const [open, closed, filtered] = probe.ports;
        // The attacker's real Linux stack answered from its listener.
        assert.deepEqual([open.port, open.state, open.ttl, open.initial_ttl, open.hop_distance], [
          OPEN,
          "open",
          64,
          64,
          0,
        ]);
        assert.equal(open.mss, 1460);
        assert.equal(open.options, "mss,sok,ts,nop,ws");
        assert.equal(open.tos, "0");
        assert.ok(open.window! > 0 && open.isn !== null, JSON.stringify(open));
        assert.deepEqual([closed.port, closed.state, closed.ttl, closed.isn], [
          CLOSED,
          "closed",
          64,
          null,
        ]);
        assert.deepEqual([filtered.port, filtered.state, filtered.ttl], [
          FILTERED,
          "filtered",
          null,
        ]);

        const status = parseSnifferStatus(await Deno.readTextFile(paths.statusFile));
        assert.equal(status.probes?.sent, 1);
        assert.equal(status.probes?.answered, 1);
        assert.ok(status.probes!.source_limited >= 1, JSON.stringify(status.probes));
        assert.ok(status.probes!.not_allowed >= 1, JSON.stringify(status.probes));
        assert.ok(proc.lines.some((l) => /prober on allow=.*\/32 ports=8022,8023,8024/.test(l)));
      } finally {
        listener.kill();
        await listener.status;
        await Deno.remove(home, { recursive: true });
      }
    },
  });
}
