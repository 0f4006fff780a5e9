// Issue #17 through the real product: `decnet up` with DECNET_SNIFFER=on starts
// the sniffer as its own child process (FFI to libpcap and libc only); a decky
// recorded as running after start (as a deploy records it) becomes a target
// without restart; SYNs crafted with scapy (constant IP-ID, ISN +1, TOS 0x2A)
// and curl's real Linux SYN from two attacker addresses in a namespace this test
// makes reach the attacker records, read through the API with a real login; the
// prober (on, allowed for the crafted source only) probes that source alone and
// its answer reaches its record; the sniffer's health reaches the worker table.
// Removing the decky stops its capture.
import assert from "node:assert/strict";
import { createRepositories, openDatabase } from "../../core/db/mod.ts";
import { craftSyns, snifferTestsUnavailable } from "../infra/crafted_syns.ts";
import { createDeckyLan } from "../infra/decky_lan.ts";
import { signInAdmin } from "../infra/sign_in_admin.ts";
import { spawnSnifferUp } from "../infra/spawn_sniffer_up.ts";
import { waitUntil } from "../infra/wait_until.ts";

const unavailable = snifferTestsUnavailable();
const ADMIN_PASSWORD = "sniffer-up-passphrase-4k9z";

Deno.test({
  name: `decnet up with DECNET_SNIFFER=on puts TCP fingerprints on attacker records${
    unavailable ? ` (skipped: ${unavailable})` : ""
  }`,
  ignore: unavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using lan = await createDeckyLan("bridge");
    const home = await Deno.makeTempDir({ prefix: "sniffer-up-" });
    try {
      const up = await spawnSnifferUp(home, {
        adminPassword: ADMIN_PASSWORD,
        env: {
          // The crafted source only; nothing listens on the port, so its stack answers RST.
          DECNET_PROBER: "on",
          DECNET_PROBER_ALLOW: `${lan.attackerIp}/32`,
          DECNET_PROBER_PORTS: "8023",
        },
      });
      await using proc = up.proc;
      const api = up.api;

      // Deployed after start: the collector hands the sniffer the new target.
      const handle = await openDatabase(`sqlite:${home}/decnet.db`);
      try {
        const repos = createRepositories(handle);
        await repos.fleet.upsert({
          hostUuid: "local",
          name: "ws-01",
          ip: lan.deckyIp,
          services: ["ssh"],
          images: {},
          network: "lan",
          networkDriver: "bridge",
          osPersona: "linux",
        }, "running");
        await proc.waitForLine(
          new RegExp(`capturing interface=${lan.hostInterface} deckies=${lan.deckyIp}$`),
        );

        await craftSyns(lan, { to: lan.deckyIp, count: 8, ipId: 4242, isn: 1000, tos: 0x2a });
        const curlIp = `${lan.prefix}.3`;
        const added = await lan.attacker(["ip", "addr", "add", `${curlIp}/24`, "dev", "eth0"]);
        assert.equal(added.code, 0, added.stderr);
        const curl = await lan.attacker([
          "curl",
          "-s",
          "--max-time",
          "5",
          "--interface",
          curlIp,
          `http://${lan.deckyIp}:8080/`,
        ]);
        assert.equal(curl.code, 7, "curl: connection refused by the decky");

        const { headers } = await signInAdmin(api, ADMIN_PASSWORD);
        const get = async (path: string) => {
          const res = await fetch(`${api}${path}`, { headers });
          assert.equal(res.status, 200, path);
          return await res.json();
        };
        type Listed = { id: number; ip: string };
        let attackers: Listed[] = [];
        await waitUntil(async () => {
          attackers = (await get("/api/v1/attackers")).items;
          if (attackers.length < 2) return false;
          const crafted = attackers.find((a) => a.ip === lan.attackerIp);
          const detail = crafted && await get(`/api/v1/attackers/${crafted.id}`);
          return detail?.tcp_fingerprint?.transitions === 2;
        }, { what: "both attackers, the crafted one with two transitions", timeoutMs: 30_000 });
        assert.deepEqual(attackers.map((a) => a.ip).sort(), [curlIp, lan.attackerIp].sort());

        const crafted = await get(
          `/api/v1/attackers/${attackers.find((a) => a.ip === lan.attackerIp)!.id}`,
        );
        const fp = crafted.tcp_fingerprint;
        assert.equal(fp.ipid_class, "constant");
        assert.equal(fp.isn_class, "incremental");
        assert.equal(fp.ipid_samples, 4);
        assert.equal(fp.tos, "42");
        assert.equal(fp.dscp, 10);
        assert.equal(fp.ecn, 2);
        assert.equal(fp.window, 1024);
        assert.equal(fp.decky, lan.deckyIp);
        // One event on first sight, one when the classes formed: the other six SYNs repeated.
        assert.equal(fp.transitions, 2);

        // The prober (allowed for this source only) recorded its answer on the attacker.
        let probe: { decky: string; ports: { port: number; state: string; ttl: number }[] };
        await waitUntil(async () => {
          const detail = await get(`/api/v1/attackers/${crafted.id}`);
          probe = detail.tcp_fingerprint.probe;
          return probe !== undefined;
        }, { what: "the probe on the crafted attacker" });
        assert.equal(probe!.decky, lan.deckyIp);
        assert.deepEqual(probe!.ports.map((p) => [p.port, p.state, p.ttl]), [[8023, "closed", 64]]);

        const real = await get(`/api/v1/attackers/${attackers.find((a) => a.ip === curlIp)!.id}`);
        assert.match(real.tcp_fingerprint.os_guess, /Linux/);
        assert.equal(real.tcp_fingerprint.has_timestamps, true);
        assert.equal(real.tcp_fingerprint.tos, "0");
        assert.equal(real.tcp_fingerprint.transitions, 1);
        assert.equal(real.tcp_fingerprint.probe, undefined, "outside DECNET_PROBER_ALLOW");

        // Its health reaches the bus through the collector (it has no bus of its own), and with
        // it the worker table.
        type Worker = {
          name: string;
          healthy: boolean;
          state: string;
          extras: Record<string, unknown>;
        };
        let sniffer: Worker | undefined;
        await waitUntil(async () => {
          sniffer = (await get("/api/v1/workers")).items.find((w: Worker) => w.name === "sniffer");
          return sniffer !== undefined;
        }, { what: "the sniffer in the worker table" });
        assert.equal(sniffer!.state, "running");
        assert.equal(sniffer!.healthy, true);
        for (const counter of ["packets_seen", "packets_dropped", "flows", "journal_lag_bytes"]) {
          assert.equal(typeof sniffer!.extras[counter], "number", counter);
        }

        // Torn down: the capture on its interface ends without restart.
        await repos.fleet.remove("local", "ws-01");
        await proc.waitForLine(new RegExp(`capture stopped interface=${lan.hostInterface}$`));
      } finally {
        await handle.close();
      }
      assert.equal((await proc.close()).code, 0);
      assert.ok(proc.lines.some((l) => /\[sniffer\] sniffer stopped /.test(l)));
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
