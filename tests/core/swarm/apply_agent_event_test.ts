import assert from "node:assert/strict";
import { type BusMessage, type JsonValue, MemoryBus } from "../../../core/bus/mod.ts";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import type { TriggerInput } from "../../../core/db/mod.ts";
import { encodeTriggerRecord } from "../../../core/journal/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import type { AgentEvent } from "../../../core/swarm/agent_event.ts";
import { applyAgentEvent } from "../../../core/swarm/apply_agent_event.ts";
import { makeSensorEvent } from "../db/attackers_contract.ts";
import { makeTcpFingerprint } from "../db/tcp_fingerprints_contract.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const quiet = new Logger({ level: "error", sink: () => {} });
const TOKEN = "7d3c2f0e-0000-4000-8000-000000000001";

async function setup() {
  const handle = await openDatabase("sqlite::memory:");
  await migrateToLatest(handle);
  const repos = createRepositories(handle, {
    triggerRollup: { ratePerMinute: 0, capPerMinute: 0 },
  });
  await repos.canary.insertToken({
    uuid: TOKEN,
    callback_token: "Ab3dEf6hIj9kLm2nOp5qRs",
    kind: "aws_passive",
    generator: "aws_creds",
    blob_uuid: null,
    content_class: null,
    decky_name: "ws-01",
    decky_uuid: null,
    placement_path: null,
    persona: null,
    http_base: "http://127.0.0.1:8088",
    dns_zone: "",
    state: "planted",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
  });
  const bus = new MemoryBus({ broadcast: false });
  const published: BusMessage[] = [];
  bus.subscribe(">", (m) => void published.push(m));
  const deps = { repos, bus, isBenign: () => Promise.resolve(() => false), log: quiet };
  return {
    repos,
    deps,
    published,
    async [Symbol.asyncDispose]() {
      await bus.close();
      await handle.close();
    },
  };
}

function trigger(i: number): TriggerInput {
  return {
    tokenUuid: TOKEN,
    occurredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, i)),
    srcIp: "192.0.2.9",
    userAgent: null,
    method: "GET",
    requestPath: `/c/${i}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  };
}

/** Triggers `from`..`to`-1, each a record ending one byte on; with those ends when `ends`. */
function canaryBatch(from: number, to: number, ends = false): AgentEvent {
  const n = Array.from({ length: to - from }, (_, i) => from + i);
  return {
    id: `c${from}-${to}`,
    kind: "canary_batch",
    at: "2026-12-01T10:00:00.000Z",
    fields: {
      from: { segment: 0, offset: from },
      to: { segment: 0, offset: to },
      triggers: n.map((i) => encodeTriggerRecord(trigger(i))),
      ...(ends ? { ends: n.map((i) => ({ segment: 0, offset: i + 1 })) } : {}),
    },
  };
}

Deno.test("applyAgentEvent() stores canary batches once each, in order, whatever the deliveries", async () => {
  await using s = await setup();
  const apply = (e: AgentEvent) => applyAgentEvent(s.deps, "alpha", e);
  // The second batch first: it waits for the first.
  assert.equal(await apply(canaryBatch(3, 5)), "pending");
  assert.equal(await apply(canaryBatch(0, 3)), "next");
  assert.equal(await apply(canaryBatch(0, 3)), "done");
  assert.equal(await apply(canaryBatch(3, 5)), "next");
  assert.equal(await apply(canaryBatch(3, 5)), "done");
  assert.equal(await apply(canaryBatch(0, 3)), "done");
  // Cut differently than what is stored (the agent lost its own cursor) and no record ends: not applied.
  assert.equal(await apply(canaryBatch(4, 6)), "overlap");
  const { total, items } = await s.repos.canary.listTriggers(TOKEN, { limit: 10, offset: 0 });
  assert.equal(total, 5);
  assert.deepEqual(items.map((t) => t.request_path).sort(), [
    "/c/0",
    "/c/1",
    "/c/2",
    "/c/3",
    "/c/4",
  ]);
  assert.deepEqual(await s.repos.canaryJournals.cursor("canary@alpha"), { segment: 0, offset: 5 });
  // Another host's journal is its own.
  assert.equal(await applyAgentEvent(s.deps, "bravo", canaryBatch(0, 3)), "next");
  assert.equal((await s.repos.canary.getToken(TOKEN))?.trigger_count, 8);
  await waitUntil(() => s.published.filter((m) => m.topic.endsWith(".triggered")).length === 8, {
    what: "one message per trigger stored",
  });
});

Deno.test("applyAgentEvent() stores sensor batches under <host>/<container> and publishes them", async () => {
  await using s = await setup();
  const pos = (t: string, n: number) => ({ logTime: t, linesAtTime: n });
  const t1 = "2026-12-01T10:00:00.1Z";
  const t2 = "2026-12-01T10:00:00.09Z";
  const sensorBatch = (
    from: ReturnType<typeof pos>,
    to: ReturnType<typeof pos>,
    n: number,
  ): AgentEvent => ({
    id: `s${to.logTime}`,
    kind: "sensor_batch",
    at: "2026-12-01T10:00:00.000Z",
    fields: {
      container: "3f2a",
      decky: "web-01",
      from,
      to,
      events: Array.from(
        { length: n },
        () => makeSensorEvent({ kind: "command", command: "id" }) as unknown as JsonValue,
      ),
      bad_lines: 0,
    },
  });
  const first = sensorBatch(pos("", 0), pos(t2, 2), 2);
  // Docker drops trailing zeros: .1 is after .09, though not as text.
  const second = sensorBatch(pos(t2, 2), pos(t1, 1), 1);
  assert.equal(await applyAgentEvent(s.deps, "alpha", second), "pending");
  assert.equal(await applyAgentEvent(s.deps, "alpha", first), "next");
  assert.equal(await applyAgentEvent(s.deps, "alpha", first), "done");
  assert.equal(await applyAgentEvent(s.deps, "alpha", second), "next");
  assert.equal(await applyAgentEvent(s.deps, "alpha", second), "done");
  const events = await s.repos.attackers.listServiceEvents({ limit: 10, offset: 0 });
  assert.equal(events.total, 3);
  assert.deepEqual(await s.repos.attackers.logCursor("alpha/3f2a"), pos(t1, 1));
  const attacker = (await s.repos.attackers.listAttackers({ limit: 10, offset: 0 })).items[0];
  assert.equal(attacker.ip, "192.0.2.9");
  assert.equal(attacker.eventCount, 3);
  await waitUntil(() => s.published.filter((m) => m.topic.startsWith("service.")).length === 3, {
    what: "one message per service event",
  });
});

Deno.test("applyAgentEvent() puts sniffer batches on attackers once and moves sniffer@<host>", async () => {
  await using s = await setup();
  const batch: AgentEvent = {
    id: "f1",
    kind: "sniffer_batch",
    at: "2026-12-01T10:00:00.000Z",
    fields: {
      from: { segment: 0, offset: 0 },
      to: { segment: 0, offset: 200 },
      records: [{ fingerprint: makeTcpFingerprint() as unknown as JsonValue }],
    },
  };
  assert.equal(await applyAgentEvent(s.deps, "alpha", batch), "next");
  assert.equal(await applyAgentEvent(s.deps, "alpha", batch), "done");
  const attacker = (await s.repos.attackers.listAttackers({ limit: 10, offset: 0 })).items[0];
  assert.equal(attacker.ip, "192.0.2.50");
  assert.equal(attacker.tcpFingerprint?.os_guess, "Linux 3.11+");
  assert.deepEqual(await s.repos.canaryJournals.cursor("sniffer@alpha"), {
    segment: 0,
    offset: 200,
  });
});

Deno.test("applyAgentEvent() refuses malformed batches naming the field, and leaves unknown kinds", async (t) => {
  await using s = await setup();
  const bad = (fields: AgentEvent["fields"], kind = "canary_batch") =>
    applyAgentEvent(s.deps, "alpha", { id: "x", kind, at: "2026-12-01T10:00:00.000Z", fields });
  await t.step("a position", async () => {
    await assert.rejects(bad({ from: { segment: -1, offset: 0 } }), /from\.segment/);
    await assert.rejects(bad({ from: { segment: 0, offset: 0 }, to: "x" }), /to must be an object/);
  });
  await t.step("a record", async () => {
    const pos = { segment: 0, offset: 0 };
    await assert.rejects(bad({ from: pos, to: pos, triggers: ["{}"] }), /triggers\[0\]/);
    await assert.rejects(
      bad({ from: pos, to: pos, records: [{}] }, "sniffer_batch"),
      /records\[0\]/,
    );
    await assert.rejects(bad({ container: "../x" }, "sensor_batch"), /container/);
  });
  await t.step("an unknown kind is not this function's", async () => {
    assert.equal(await bad({}, "service_event"), null);
  });
  assert.equal((await s.repos.canary.listTriggers(TOKEN, { limit: 1, offset: 0 })).total, 0);
});

Deno.test("applyAgentEvent() judges benign sources on the master: their events are stored, never an attacker", async () => {
  await using s = await setup();
  const deps = { ...s.deps, isBenign: () => Promise.resolve((ip: string) => ip === "192.0.2.9") };
  const at = { logTime: "", linesAtTime: 0 };
  const event: AgentEvent = {
    id: "b1",
    kind: "sensor_batch",
    at: "2026-12-01T10:00:00.000Z",
    fields: {
      container: "3f2a",
      decky: "web-01",
      from: at,
      to: { logTime: "2026-12-01T10:00:01Z", linesAtTime: 1 },
      events: [makeSensorEvent() as unknown as JsonValue],
      bad_lines: 0,
    },
  };
  assert.equal(await applyAgentEvent(deps, "alpha", event), "next");
  assert.equal((await s.repos.attackers.listServiceEvents({ limit: 1, offset: 0 })).total, 0);
  assert.equal(
    (await s.repos.attackers.listServiceEvents({ limit: 1, offset: 0, includeBenign: true })).total,
    1,
  );
  assert.equal((await s.repos.attackers.listAttackers({ limit: 1, offset: 0 })).total, 0);
});

Deno.test("applyAgentEvent() takes an overlapping batch up from the stored cursor by its record positions", async () => {
  await using s = await setup();
  const apply = (e: AgentEvent) => applyAgentEvent(s.deps, "alpha", e);
  assert.equal(await apply(canaryBatch(0, 5, true)), "next");
  // The agent lost its cursor and cut its journal again from further back.
  assert.equal(await apply(canaryBatch(3, 8, true)), "next");
  assert.equal(await apply(canaryBatch(3, 8, true)), "done");
  const { items } = await s.repos.canary.listTriggers(TOKEN, { limit: 20, offset: 0 });
  assert.deepEqual(
    items.map((t) => t.request_path).sort(),
    [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `/c/${i}`),
  );
  assert.deepEqual(await s.repos.canaryJournals.cursor("canary@alpha"), { segment: 0, offset: 8 });

  const pos = (n: number) => ({ logTime: `2026-12-01T10:00:0${n}Z`, linesAtTime: 1 });
  const sensorBatch = (from: number, to: number): AgentEvent => {
    const n = Array.from({ length: to - from }, (_, i) => from + i + 1);
    return {
      id: `s${from}-${to}`,
      kind: "sensor_batch",
      at: "2026-12-01T10:00:00.000Z",
      fields: {
        container: "3f2a",
        decky: "web-01",
        from: from === 0 ? { logTime: "", linesAtTime: 0 } : pos(from),
        to: pos(to),
        events: n.map((i) => makeSensorEvent({ session: `line-${i}` }) as unknown as JsonValue),
        positions: n.map(pos),
        bad_lines: 0,
      },
    };
  };
  assert.equal(await apply(sensorBatch(0, 4)), "next");
  assert.equal(await apply(sensorBatch(2, 7)), "next");
  const events = await s.repos.attackers.listServiceEvents({ limit: 20, offset: 0 });
  assert.deepEqual(
    events.items.map((e) => e.session).sort(),
    [1, 2, 3, 4, 5, 6, 7].map((i) => `line-${i}`),
  );

  const fingerprint = (i: number) => ({
    fingerprint: makeTcpFingerprint({ src_ip: `192.0.2.${60 + i}` }) as unknown as JsonValue,
    end: { segment: 0, offset: i + 1 },
  });
  const snifferBatch = (from: number, to: number): AgentEvent => ({
    id: `f${from}-${to}`,
    kind: "sniffer_batch",
    at: "2026-12-01T10:00:00.000Z",
    fields: {
      from: { segment: 0, offset: from },
      to: { segment: 0, offset: to },
      records: Array.from({ length: to - from }, (_, i) => fingerprint(from + i)),
    },
  });
  assert.equal(await apply(snifferBatch(0, 2)), "next");
  assert.equal(await apply(snifferBatch(1, 3)), "next");
  const fingerprinted = await s.repos.attackers.listAttackers({
    q: "192.0.2.6",
    limit: 20,
    offset: 0,
  });
  assert.deepEqual(fingerprinted.items.map((a) => a.ip).sort(), [
    "192.0.2.60",
    "192.0.2.61",
    "192.0.2.62",
  ]);
});
