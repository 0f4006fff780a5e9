import assert from "node:assert/strict";
import { controlTopic, healthTopic, MemoryBus } from "../../../core/bus/mod.ts";
import type { HealthPayload } from "../../../core/bus/mod.ts";
import type { JournalPosition } from "../../../core/db/mod.ts";
import { JournalWriter, listSegments } from "../../../core/journal/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import {
  SnifferJournalIngest,
  type SnifferJournalIngestOptions,
} from "../../../core/attackers/sniffer_journal_ingest.ts";
import {
  type SnifferSpoolPaths,
  snifferSpoolPaths,
} from "../../../core/sniffer/sniffer_spool_paths.ts";
import { parseSnifferTargets } from "../../../core/sniffer/sniffer_targets.ts";
import { writeSnifferStatus } from "../../../core/sniffer/sniffer_status.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import type { TcpFingerprint } from "../../../core/sniffer/tcp_fingerprint.ts";
import type { TcpProbe } from "../../../core/sniffer/tcp_probe.ts";

function fingerprint(srcIp: string): TcpFingerprint {
  return {
    src_ip: srcIp,
    decky: "192.0.2.10",
    dst_port: 22,
    ttl: 64,
    initial_ttl: 64,
    hop_distance: 0,
    window: 1024,
    mss: null,
    wscale: null,
    options: "",
    has_sack: false,
    has_timestamps: false,
    tos: "42",
    dscp: 10,
    ecn: 2,
    os_guess: "unknown",
    ipid_class: "constant",
    ipid_samples: 4,
    isn_class: "incremental",
    isn_samples: 4,
    repeats: 2,
    occurred_at: "2026-12-01T14:00:00.000Z",
  };
}

const PROBE: TcpProbe = {
  kind: "tcp_probe",
  src_ip: "198.51.100.1",
  decky: "192.0.2.10",
  occurred_at: "2026-12-01T14:00:01.000Z",
  ports: [{
    port: 22,
    state: "closed",
    ttl: 64,
    initial_ttl: 64,
    hop_distance: 0,
    window: 0,
    mss: null,
    wscale: null,
    options: "",
    tos: "0",
    dscp: 0,
    ecn: 0,
    isn: null,
  }],
};

/** An ingest whose journal is stored up to `cursor` and stores nothing more: for its health. */
function healthOnlyIngest(
  spool: SnifferSpoolPaths,
  bus: MemoryBus,
  options:
    & { cursor: JournalPosition }
    & Pick<
      SnifferJournalIngestOptions,
      "now" | "targetsEveryMs"
    >,
): SnifferJournalIngest {
  const { cursor, ...rest } = options;
  return new SnifferJournalIngest({
    journal: "sniffer@local",
    spool,
    cursors: { cursor: () => Promise.resolve(cursor), advance: () => Promise.resolve() },
    store: () => Promise.resolve(),
    storeProbe: () => Promise.resolve(),
    listTargets: () => Promise.resolve([]),
    bus,
    log: new Logger({ level: "error" }),
    ...rest,
  });
}

Deno.test("SnifferJournalIngest.drain() stores each event, then moves the cursor; a failed store moves nothing", async () => {
  const home = await Deno.makeTempDir();
  const bus = new MemoryBus({ broadcast: false });
  try {
    const spool = snifferSpoolPaths(home);
    {
      await using journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 2 });
      await journal.append([
        JSON.stringify(fingerprint("198.51.100.1")),
        '{"not":"a fingerprint"}',
        JSON.stringify(PROBE),
        JSON.stringify({ ...PROBE, ports: "22" }),
        JSON.stringify(fingerprint("198.51.100.2")),
      ]);
    }
    const cursors = new Map<string, JournalPosition>();
    const stored: string[] = [];
    const probes: TcpProbe[] = [];
    let failNext = true;
    const ingest = new SnifferJournalIngest({
      journal: "sniffer@local",
      spool,
      cursors: {
        cursor: (j) => Promise.resolve(cursors.get(j) ?? { segment: 0, offset: 0 }),
        advance: (j, _from, to) => Promise.resolve(void cursors.set(j, to)),
      },
      store: (event) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error("database down"));
        }
        stored.push(event.src_ip);
        return Promise.resolve();
      },
      storeProbe: (probe) => Promise.resolve(void probes.push(probe)),
      listTargets: () => Promise.resolve([{ name: "ws-01", ip: "192.0.2.10" }]),
      bus,
      log: new Logger({ level: "error" }),
    });
    await assert.rejects(ingest.drain(), /database down/);
    assert.equal(cursors.size, 0, "nothing acknowledged");

    assert.equal(await ingest.drain(), 3);
    assert.deepEqual(stored, ["198.51.100.1", "198.51.100.2"]);
    // The probe went to its own store, in journal order; the malformed one was counted.
    assert.deepEqual(probes, [PROBE]);
    assert.equal(ingest.stats().probes_stored, 1);
    assert.equal(ingest.stats().fingerprint_lines_skipped, 2);
    const [segment] = await listSegments(spool.journalDir);
    assert.deepEqual(cursors.get("sniffer@local"), {
      segment: segment.number,
      offset: segment.size,
    });
    assert.equal(await ingest.drain(), 0, "read once");

    assert.equal(await ingest.refreshTargets(), true);
    assert.deepEqual(parseSnifferTargets(await Deno.readTextFile(spool.targetsFile)), [
      { name: "ws-01", ip: "192.0.2.10" },
    ]);
    assert.equal(await ingest.refreshTargets(), false);
  } finally {
    await bus.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("SnifferJournalIngest publishes system.sniffer.health from the sniffer's status and the journal lag", async () => {
  const home = await Deno.makeTempDir();
  const bus = new MemoryBus({ broadcast: false });
  try {
    const spool = snifferSpoolPaths(home);
    const line = JSON.stringify(fingerprint("198.51.100.1"));
    // Still open: the segment holds zeros written ahead of its two records.
    await using journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 2 });
    await journal.append([line, line]);
    const [segment] = await listSegments(spool.journalDir);
    const heard: HealthPayload[] = [];
    using _sub = bus.subscribe(healthTopic("sniffer"), (m) => {
      heard.push(m.payload as HealthPayload);
    });
    const now = new Date("2026-12-01T14:00:30.000Z");
    await using ingest = healthOnlyIngest(spool, bus, {
      // Half stored: the second record is the lag.
      cursor: { segment: segment.number, offset: line.length + 1 },
      now: () => now,
    });
    // No status file: the sniffer never ran on this host, nothing is published.
    assert.equal(await ingest.publishHealth(), null);
    assert.equal(heard.length, 0);

    await writeSnifferStatus(spool.statusFile, {
      at: "2026-12-01T14:00:28.000Z",
      started_at: "2026-12-01T14:00:00.000Z",
      running: true,
      received: 40,
      dropped: 2,
      if_dropped: 0,
      syns: 38,
      events: 2,
      lost: 0,
      flows: 1,
      interfaces: ["br-decoys"],
    });
    const payload = await ingest.publishHealth();
    assert.deepEqual(heard, [payload]);
    assert.equal(payload?.worker, "sniffer");
    assert.equal(payload?.status, "degraded");
    assert.deepEqual(
      [
        payload?.details?.packets_seen,
        payload?.details?.packets_dropped,
        payload?.details?.flows,
        payload?.details?.journal_lag_bytes,
      ],
      [40, 2, 1, line.length + 1],
    );

    // Running: it reports at start, and at once when asked (a dashboard that just started).
    ingest.start();
    await waitUntil(() => heard.length === 2, { what: "the health published at start" });
    assert.equal(heard[1].status, "ok", "no new drop since the last report");
    bus.publish(controlTopic("sniffer"), { action: "report", at: now.toISOString() });
    await waitUntil(() => heard.length === 3, { what: "the reported health" });
  } finally {
    await bus.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("SnifferJournalIngest reports a sniffer started again at once when its last status said stopped", async () => {
  const home = await Deno.makeTempDir();
  const bus = new MemoryBus({ broadcast: false });
  try {
    const spool = snifferSpoolPaths(home);
    await Deno.mkdir(spool.journalDir, { recursive: true });
    const status = (running: boolean, startedAt: string) => ({
      at: new Date().toISOString(),
      started_at: startedAt,
      running,
      received: 0,
      dropped: 0,
      if_dropped: 0,
      syns: 0,
      events: 0,
      lost: 0,
      flows: 0,
      interfaces: [],
    });
    // Stopped from the worker table: its last status says so.
    await writeSnifferStatus(spool.statusFile, status(false, "2026-12-01T14:00:00.000Z"));
    const heard: HealthPayload[] = [];
    using _sub = bus.subscribe(healthTopic("sniffer"), (m) => {
      heard.push(m.payload as HealthPayload);
    });
    await using ingest = healthOnlyIngest(spool, bus, {
      cursor: { segment: 0, offset: 0 },
      targetsEveryMs: 20,
    });
    ingest.start();
    await waitUntil(() => heard.length === 1, { what: "the health published at start" });
    assert.equal(heard[0].state, "stopped");

    // Started again: reported on the next targets refresh, not the 30 s beat.
    await writeSnifferStatus(spool.statusFile, status(true, new Date().toISOString()));
    await waitUntil(() => heard.length === 2, { what: "the restarted sniffer's health" });
    assert.equal(heard[1].state, "running");
  } finally {
    await bus.close();
    await Deno.remove(home, { recursive: true });
  }
});
