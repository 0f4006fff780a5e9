import assert from "node:assert/strict";
import { createRepositories, migrateToLatest } from "../../../core/db/mod.ts";
import type { DbHandle, Repositories } from "../../../core/db/mod.ts";
import { mergeTcpSnapshot } from "../../../core/sniffer/mod.ts";
import type { TcpFingerprint, TcpProbe } from "../../../core/sniffer/mod.ts";
import { makeSensorEvent } from "./attackers_contract.ts";
import type { MakeHandle } from "./repository_contract.ts";

/** A valid fingerprint event with defaults (a Linux client 192.0.2.50 to decky 192.0.2.1:22). */
export function makeTcpFingerprint(fields: Partial<TcpFingerprint> = {}): TcpFingerprint {
  return {
    src_ip: "192.0.2.50",
    decky: "192.0.2.1",
    dst_port: 22,
    ttl: 57,
    initial_ttl: 64,
    hop_distance: 7,
    window: 64240,
    mss: 1460,
    wscale: 7,
    options: "mss,sok,ts,nop,ws",
    has_sack: true,
    has_timestamps: true,
    tos: "0",
    dscp: 0,
    ecn: 0,
    os_guess: "Linux 3.11+",
    ipid_class: "unknown",
    ipid_samples: 1,
    isn_class: "unknown",
    isn_samples: 1,
    repeats: 0,
    occurred_at: "2026-12-01T10:00:05.000Z",
    ...fields,
  };
}

/** A valid probe result with defaults (192.0.2.50 probed from decky 192.0.2.1: 22 open, 23 closed). */
export function makeTcpProbe(fields: Partial<TcpProbe> = {}): TcpProbe {
  const port = { ttl: 64, initial_ttl: 64, hop_distance: 0, tos: "0", dscp: 0, ecn: 0 };
  return {
    kind: "tcp_probe",
    src_ip: "192.0.2.50",
    decky: "192.0.2.1",
    occurred_at: "2026-12-01T10:00:06.000Z",
    ports: [
      {
        port: 22,
        state: "open",
        ...port,
        window: 65160,
        mss: 1460,
        wscale: 7,
        options: "mss,sok,ts,nop,ws",
        isn: 3_000_000_000,
      },
      {
        port: 23,
        state: "closed",
        ...port,
        window: 0,
        mss: null,
        wscale: null,
        options: "",
        isn: null,
      },
    ],
    ...fields,
  };
}

/** The TCP fingerprints repository contract, run against SQLite and a real MariaDB. */
export async function runTcpFingerprintsContract(
  t: Deno.TestContext,
  makeHandle: MakeHandle,
): Promise<void> {
  const step = (name: string, fn: (repos: Repositories, handle: DbHandle) => Promise<void>) =>
    t.step(name, async () => {
      await using handle = await makeHandle();
      assert.equal((await migrateToLatest(handle)).error, undefined);
      await fn(createRepositories(handle), handle);
    });

  await step(
    "recordTcpFingerprint() creates the attacker when its first sign is a SYN",
    async (r) => {
      const event = makeTcpFingerprint();
      const { attacker, created } = await r.tcpFingerprints.recordTcpFingerprint(event);
      assert.equal(created, true);
      const stored = await r.attackers.getAttacker(attacker.id);
      assert.ok(stored);
      assert.equal(stored.ip, "192.0.2.50");
      assert.equal(stored.eventCount, 0);
      assert.equal(stored.firstSeen, event.occurred_at);
      assert.equal(stored.lastSeen, event.occurred_at);
      assert.deepEqual(stored.tcpFingerprint, mergeTcpSnapshot(null, event));
      assert.deepEqual(stored, attacker);
      const listed = await r.attackers.listAttackers({ limit: 10, offset: 0 });
      assert.deepEqual(listed.items.map((a) => a.ip), ["192.0.2.50"]);
      assert.deepEqual(
        await r.tcpFingerprints.listTcpFingerprints(attacker.id, { limit: 10, offset: 0 }),
        {
          items: [event],
          total: 1,
        },
      );
    },
  );

  await step(
    "recordTcpFingerprint() folds into a sensor attacker; latest non-unknown class wins",
    async (r) => {
      await r.attackers.storeSensorBatch({
        container: "c1",
        decky: "web-01",
        from: { logTime: "", linesAtTime: 0 },
        to: { logTime: "2026-12-01T10:00:10.000000000Z", linesAtTime: 1 },
        events: [makeSensorEvent({ src_ip: "192.0.2.50", time: "2026-12-01T10:00:10.000Z" })],
        badLines: 0,
        isBenign: () => false,
      });
      const events = [
        makeTcpFingerprint({
          ipid_class: "random",
          ipid_samples: 4,
          isn_class: "random",
          isn_samples: 4,
        }),
        // The tracker forgot the source (eviction): classes unknown again, and another tool.
        makeTcpFingerprint({
          os_guess: "nmap SYN scan",
          options: "mss",
          repeats: 5,
          occurred_at: "2026-12-01T10:00:20.000Z",
        }),
        makeTcpFingerprint({
          os_guess: "nmap SYN scan",
          options: "mss",
          ipid_class: "zero",
          ipid_samples: 8,
          repeats: 2,
          occurred_at: "2026-12-01T10:00:30.000Z",
        }),
      ];
      let recorded;
      for (const e of events) recorded = await r.tcpFingerprints.recordTcpFingerprint(e);
      assert.equal(recorded?.created, false);
      const stored = await r.attackers.getAttacker(recorded!.attacker.id);
      assert.ok(stored);
      // Sensor counters untouched; the SYN at :05 moved first_seen back, :30 moved last_seen on.
      assert.equal(stored.eventCount, 1);
      assert.equal(stored.firstSeen, "2026-12-01T10:00:05.000Z");
      assert.equal(stored.lastSeen, "2026-12-01T10:00:30.000Z");
      const snapshot = stored.tcpFingerprint!;
      assert.equal(snapshot.os_guess, "nmap SYN scan");
      assert.deepEqual([snapshot.ipid_class, snapshot.ipid_samples], ["zero", 8]);
      assert.deepEqual([snapshot.isn_class, snapshot.isn_samples], ["random", 4]);
      assert.equal(snapshot.transitions, 3);
      assert.equal(snapshot.syn_count, 3 + 5 + 2);
      assert.equal(snapshot.first_seen, "2026-12-01T10:00:05.000Z");
      const history = await r.tcpFingerprints.listTcpFingerprints(stored.id, {
        limit: 2,
        offset: 0,
      });
      assert.equal(history.total, 3);
      assert.deepEqual(history.items, [events[2], events[1]]);
    },
  );

  await step("a sensor batch after a fingerprint keeps the attacker's snapshot", async (r) => {
    const { attacker } = await r.tcpFingerprints.recordTcpFingerprint(makeTcpFingerprint());
    const stored = await r.attackers.storeSensorBatch({
      container: "c1",
      decky: "web-01",
      from: { logTime: "", linesAtTime: 0 },
      to: { logTime: "2026-12-01T10:01:00.000000000Z", linesAtTime: 1 },
      events: [makeSensorEvent({ src_ip: "192.0.2.50", time: "2026-12-01T10:01:00.000Z" })],
      badLines: 0,
      isBenign: () => false,
    });
    assert.equal(stored.attackers[0].id, attacker.id);
    assert.deepEqual(stored.attackers[0].tcpFingerprint, attacker.tcpFingerprint);
    const after = await r.attackers.getAttacker(attacker.id);
    assert.equal(after?.eventCount, 1);
    assert.deepEqual(after?.tcpFingerprint, attacker.tcpFingerprint);
  });

  await step(
    "concurrent sensor batches and fingerprints lose no first_seen, last_seen or count",
    async (r) => {
      // Writers on separate connections (MariaDB's pool), each reading the row before the others
      // write: without a row lock the last writer's fold overwrites the others'.
      const ips = ["192.0.2.60", "192.0.2.61", "192.0.2.62"];
      const second = (n: number) => `2026-12-01T10:${String(10 + n).padStart(2, "0")}:00.000Z`;
      for (const ip of ips) {
        await r.tcpFingerprints.recordTcpFingerprint(
          makeTcpFingerprint({ src_ip: ip, occurred_at: second(20) }),
        );
      }
      const writers: Promise<unknown>[] = [];
      for (let n = 0; n < 8; n++) {
        writers.push(r.attackers.storeSensorBatch({
          container: `race-${n}`,
          decky: "web-01",
          from: { logTime: "", linesAtTime: 0 },
          to: { logTime: `2026-12-01T10:00:0${n}.000000000Z`, linesAtTime: 2 },
          // Every writer moves both ends: batch n reaches back to minute 19-n and on to 21+n.
          events: ips.flatMap((ip) => [
            makeSensorEvent({ src_ip: ip, time: second(19 - n) }),
            makeSensorEvent({ src_ip: ip, time: second(21 + n) }),
          ]),
          badLines: 0,
          isBenign: () => false,
        }));
        for (const ip of ips) {
          writers.push(r.tcpFingerprints.recordTcpFingerprint(
            makeTcpFingerprint({ src_ip: ip, repeats: n, occurred_at: second(n % 2 ? 30 : 5) }),
          ));
        }
      }
      await Promise.all(writers);
      for (const ip of ips) {
        const { items } = await r.attackers.listAttackers({ q: ip, limit: 10, offset: 0 });
        assert.equal(items.length, 1, ip);
        const [a] = items;
        assert.deepEqual(
          [a.firstSeen, a.lastSeen, a.eventCount, a.rollup.sessions],
          [second(5), second(30), 16, 16],
          ip,
        );
        // 1 + 8 fingerprints, each counting itself and its repeats (0 + 0..7).
        assert.equal(a.tcpFingerprint?.syn_count, 9 + 28, ip);
        assert.equal(a.tcpFingerprint?.transitions, 9, ip);
      }
    },
  );

  await step(
    "recordTcpProbe() puts the latest probe on the snapshot, which later fingerprints keep",
    async (r) => {
      const probe = makeTcpProbe();
      // No record for the address (a benign source made none): nothing is created.
      assert.equal(await r.tcpFingerprints.recordTcpProbe(probe), null);
      assert.equal((await r.attackers.listAttackers({ limit: 10, offset: 0 })).total, 0);

      const { attacker } = await r.tcpFingerprints.recordTcpFingerprint(makeTcpFingerprint());
      const probed = await r.tcpFingerprints.recordTcpProbe(probe);
      assert.deepEqual(probed?.tcpFingerprint?.probe, probe);
      assert.deepEqual(await r.attackers.getAttacker(attacker.id), probed);
      // An older probe (journal replayed out of order) does not replace a newer one.
      const older = makeTcpProbe({ occurred_at: "2026-12-01T09:00:00.000Z", ports: [] });
      await r.tcpFingerprints.recordTcpProbe(older);
      const after = await r.tcpFingerprints.recordTcpFingerprint(
        makeTcpFingerprint({ occurred_at: "2026-12-01T10:05:00.000Z", os_guess: "nmap SYN scan" }),
      );
      assert.equal(after.attacker.tcpFingerprint?.os_guess, "nmap SYN scan");
      assert.deepEqual(after.attacker.tcpFingerprint?.probe, probe);
      assert.deepEqual((await r.attackers.getAttacker(attacker.id))?.tcpFingerprint?.probe, probe);
    },
  );

  await step("listTcpFingerprints() is empty for an attacker the sniffer never saw", async (r) => {
    assert.deepEqual(await r.tcpFingerprints.listTcpFingerprints(42, { limit: 10, offset: 0 }), {
      items: [],
      total: 0,
    });
  });
}
