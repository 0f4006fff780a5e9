import assert from "node:assert/strict";
import {
  createRepositories,
  foldAttackerEvents,
  migrateToLatest,
  SensorCursorMovedError,
} from "../../../core/db/mod.ts";
import type { DbHandle, Repositories, SensorLogBatch } from "../../../core/db/mod.ts";
import type { SensorEvent } from "../../../core/sensor/mod.ts";
import type { MakeHandle } from "./repository_contract.ts";

let session = 0;

/** A valid sensor event with defaults (source 192.0.2.9, ssh on web-01). */
export function makeSensorEvent(fields: Partial<SensorEvent> = {}): SensorEvent {
  return {
    v: 1,
    time: "2026-12-01T10:00:00.000Z",
    decky: "web-01",
    service: "ssh",
    kind: "connect",
    src_ip: "192.0.2.9",
    src_port: 40000,
    dst_port: 22,
    session: `s${++session}`,
    ...fields,
  };
}

function batch(
  events: SensorEvent[],
  from: SensorLogBatch["from"],
  to: SensorLogBatch["to"],
  benign: string[] = [],
): SensorLogBatch {
  return {
    container: "c1",
    decky: "web-01",
    from,
    to,
    events,
    badLines: 0,
    isBenign: (ip) => benign.includes(ip),
  };
}

const START = { logTime: "", linesAtTime: 0 };

/**
 * Stores each call's events as the next batch of container c1 on web-01 (no
 * benign source), moving the cursor one second on from the last, as the
 * collector does reading a sensor's log.
 */
export function sensorBatchWriter(
  attackers: Repositories["attackers"],
): (events: SensorEvent[]) => Promise<void> {
  let from: SensorLogBatch["from"] = START;
  let n = 0;
  return async (events) => {
    const to = { logTime: `2026-12-01T10:00:${String(++n).padStart(2, "0")}Z`, linesAtTime: 1 };
    await attackers.storeSensorBatch(batch(events, from, to));
    from = to;
  };
}
const at = (s: number) => `2026-12-01T10:00:${String(s).padStart(2, "0")}.000000000Z`;

/** The attackers repository contract, run against SQLite and a real MariaDB. */
export async function runAttackersContract(
  t: Deno.TestContext,
  makeHandle: MakeHandle,
): Promise<void> {
  const step = (name: string, fn: (repos: Repositories, handle: DbHandle) => Promise<void>) =>
    t.step(name, async () => {
      await using handle = await makeHandle();
      assert.equal((await migrateToLatest(handle)).error, undefined);
      await fn(createRepositories(handle), handle);
    });

  await step("storeSensorBatch() moves the cursor with the events, once", async ({ attackers }) => {
    assert.deepEqual(await attackers.logCursor("c1"), START);
    const first = { logTime: at(1), linesAtTime: 2 };
    const stored = await attackers.storeSensorBatch(
      batch([makeSensorEvent(), makeSensorEvent({ kind: "disconnect" })], START, first),
    );
    assert.equal(stored.events.length, 2);
    assert.ok(stored.events[0].id < stored.events[1].id);
    assert.deepEqual(await attackers.logCursor("c1"), first);
    // The same stretch again (a second ingest) writes nothing.
    await assert.rejects(
      attackers.storeSensorBatch(batch([makeSensorEvent()], START, first)),
      SensorCursorMovedError,
    );
    await assert.rejects(
      attackers.storeSensorBatch(batch([makeSensorEvent()], { ...first, linesAtTime: 1 }, first)),
      SensorCursorMovedError,
    );
    const next = { logTime: at(2), linesAtTime: 1 };
    await attackers.storeSensorBatch(batch([makeSensorEvent()], first, next));
    assert.equal((await attackers.listServiceEvents({ limit: 10, offset: 0 })).total, 3);
  });

  await step(
    "a swarm agent's batch records its host on the services; listAttackers filters by it",
    async ({ attackers }) => {
      await attackers.storeSensorBatch(
        batch([makeSensorEvent({ src_ip: "192.0.2.20" })], START, {
          logTime: at(1),
          linesAtTime: 1,
        }),
      );
      await attackers.storeSensorBatch({
        ...batch([makeSensorEvent({ src_ip: "192.0.2.21" })], START, {
          logTime: at(1),
          linesAtTime: 1,
        }),
        container: "alpha/c1",
        decky: "web-01",
        host: "alpha",
      });
      const ips = async (host: string | null | undefined) =>
        (await attackers.listAttackers({ host, limit: 10, offset: 0 })).items.map((a) => a.ip);
      assert.deepEqual(await ips("alpha"), ["192.0.2.21"]);
      assert.deepEqual(await ips(null), ["192.0.2.20"]);
      assert.deepEqual(await ips("bravo"), []);
      assert.deepEqual((await ips(undefined)).sort(), ["192.0.2.20", "192.0.2.21"]);
      const [service] = await attackers.attackerServices(
        (await attackers.listAttackers({ host: "alpha", limit: 1, offset: 0 })).items[0].id,
      );
      assert.equal(service.host, "alpha");
    },
  );

  await step("attackers roll up the same in one batch or many", async ({ attackers }) => {
    const events = [
      makeSensorEvent({ time: at(3) }),
      makeSensorEvent({ kind: "auth_attempt", username: "root", time: at(4) }),
      makeSensorEvent({
        kind: "credential",
        username: "root",
        secret_kind: "password",
        secret: "toor",
        time: at(5),
      }),
      makeSensorEvent({ kind: "command", command: "uname -a", time: at(6) }),
      makeSensorEvent({ service: "ftp", dst_port: 21, time: at(1), client_ident: "curl" }),
      makeSensorEvent({ src_ip: "192.0.2.10", time: at(7) }),
    ];
    let from = START;
    for (const [i, e] of events.entries()) {
      const to = { logTime: at(10 + i), linesAtTime: 1 };
      await attackers.storeSensorBatch(batch([e], from, to));
      from = to;
    }
    const { items, total } = await attackers.listAttackers({ limit: 10, offset: 0 });
    assert.equal(total, 2);
    const a = items.find((x) => x.ip === "192.0.2.9")!;
    const whole = foldAttackerEvents(undefined, "192.0.2.9", events.slice(0, 5));
    assert.deepEqual({ ...a, id: 0 }, { ...whole, id: 0 });
    assert.equal(a.firstSeen, at(1));
    assert.equal(a.lastSeen, at(6));
    assert.equal(a.credentialCount, 1);
    assert.deepEqual(a.rollup.commands, ["uname -a"]);
    assert.deepEqual(a.rollup.client_idents, ["curl"]);
    const services = await attackers.attackerServices(a.id);
    assert.deepEqual(services.map((s) => [s.service, Number(s.event_count)]), [["ftp", 1], [
      "ssh",
      4,
    ]]);
    // Filters: decky/service via what the attacker touched, text over address and rollup.
    const ftp = await attackers.listAttackers({ service: "ftp", limit: 10, offset: 0 });
    assert.deepEqual(ftp.items.map((x) => x.ip), ["192.0.2.9"]);
    assert.equal(
      (await attackers.listAttackers({ decky: "db-01", limit: 10, offset: 0 })).total,
      0,
    );
    assert.equal((await attackers.listAttackers({ q: "uname", limit: 10, offset: 0 })).total, 1);
    assert.equal((await attackers.listAttackers({ q: "100%", limit: 10, offset: 0 })).total, 0);
    const busiest = await attackers.listAttackers({ sort: "event_count", limit: 1, offset: 0 });
    assert.equal(busiest.items[0].ip, "192.0.2.9");
    assert.equal((await attackers.getAttacker(a.id))?.eventCount, 5);
  });

  await step("credentials are stored once each and counted", async ({ attackers }) => {
    const cred = (secret: string, time: string) =>
      makeSensorEvent({
        kind: "credential",
        username: "admin",
        secret_kind: "ntlmssp_v2",
        secret,
        domain: "CORP",
        hashcat_mode: 5600,
        hashcat_line: `admin::CORP:${secret}`,
        time,
        service: "smb",
      });
    const stored = await attackers.storeSensorBatch(
      batch([cred("aa", at(1)), cred("aa", at(3)), cred("bb", at(2))], START, {
        logTime: at(3),
        linesAtTime: 1,
      }),
    );
    assert.equal(stored.newCredentials.length, 2);
    const { items } = await attackers.listCredentials({ limit: 10, offset: 0 });
    const aa = items.find((c) => c.secret === "aa")!;
    assert.equal(Number(aa.count), 2);
    assert.equal(aa.first_seen, at(1));
    assert.equal(aa.last_seen, at(3));
    assert.equal(aa.hashcat_line, "admin::CORP:aa");
    assert.equal(Number(aa.hashcat_mode), 5600);
  });

  await step("benign sources are stored but never become attackers", async ({ attackers }) => {
    await attackers.storeSensorBatch(
      batch(
        [
          makeSensorEvent({ src_ip: "192.0.2.20" }),
          makeSensorEvent({ src_ip: "192.0.2.30", benign: true }),
        ],
        START,
        { logTime: at(1), linesAtTime: 2 },
        ["192.0.2.20"],
      ),
    );
    assert.equal((await attackers.listAttackers({ limit: 10, offset: 0 })).total, 0);
    assert.equal((await attackers.listServiceEvents({ limit: 10, offset: 0 })).total, 0);
    const all = await attackers.listServiceEvents({ includeBenign: true, limit: 10, offset: 0 });
    assert.equal(all.total, 2);
  });

  await step(
    "service events filter, search literally, resume by id and prune",
    async ({ attackers }) => {
      const events = [
        makeSensorEvent({ kind: "command", command: "cat /etc/passwd", time: at(1) }),
        makeSensorEvent({ kind: "command", command: "wget http://x/100%_a", time: at(2) }),
        makeSensorEvent({
          service: "http",
          kind: "request",
          method: "GET",
          path: "/login",
          time: at(3),
        }),
      ];
      const stored = await attackers.storeSensorBatch(
        batch(events, START, { logTime: at(3), linesAtTime: 1 }),
      );
      const q = (query: Record<string, unknown>) =>
        attackers.listServiceEvents({ limit: 10, offset: 0, ...query });
      assert.equal((await q({ q: "passwd" })).total, 1);
      assert.equal((await q({ q: "100%_" })).total, 1);
      assert.equal((await q({ q: "0%" })).total, 1);
      assert.equal((await q({ q: "GET /login" })).total, 1);
      assert.equal((await q({ service: "http" })).total, 1);
      assert.equal(await attackers.newestServiceEventId(), stored.events[2].id);
      const after = await q({ afterId: stored.events[0].id });
      assert.deepEqual(after.items.map((e) => e.id), stored.events.slice(1).map((e) => e.id));
      assert.equal(await attackers.pruneServiceEvents(at(3), 1), 1);
      assert.equal(await attackers.pruneServiceEvents(at(3), 10), 1);
      assert.equal((await q({})).total, 1);
      // Attackers outlive their pruned events.
      assert.equal((await attackers.listAttackers({ limit: 10, offset: 0 })).total, 1);
    },
  );
}
