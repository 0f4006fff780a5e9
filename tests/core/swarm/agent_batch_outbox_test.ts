import assert from "node:assert/strict";
import { JournalCursorMovedError } from "../../../core/db/mod.ts";
import type { AgentEvent } from "../../../core/swarm/agent_event.ts";
import { agentBatchId } from "../../../core/swarm/agent_batch_id.ts";
import { AgentBatchOutbox } from "../../../core/swarm/agent_batch_outbox.ts";
import { AgentCursorFile } from "../../../core/swarm/agent_cursor_file.ts";

const at = (offset: number) => ({ segment: 0, offset });
const START = at(0);

function batch(from: number, to: number) {
  return {
    key: "canary@h",
    kind: "canary_batch",
    from: at(from),
    to: at(to),
    fields: { triggers: [] },
    moved: () => new JournalCursorMovedError("canary@h", at(from)),
  };
}

function outboxIn(dir: string, publish: (e: AgentEvent) => Promise<void>): AgentBatchOutbox {
  return new AgentBatchOutbox({
    host: "alpha",
    cursors: new AgentCursorFile(dir),
    publish,
    now: () => new Date("2026-12-01T10:00:00.000Z"),
  });
}

Deno.test("agentBatchId() is the same for the same batch and differs by host, journal and bounds", () => {
  const base = { host: "alpha", journal: "canary@h", from: at(0), to: at(10) };
  const id = agentBatchId(base);
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(agentBatchId({ ...base }), id);
  for (
    const other of [
      { ...base, host: "bravo" },
      { ...base, journal: "sniffer@h" },
      { ...base, from: at(1) },
      { ...base, to: at(11) },
    ]
  ) assert.notEqual(agentBatchId(other), id);
});

Deno.test("AgentBatchOutbox.send() moves the cursor only once the publish resolved", async () => {
  const dir = await Deno.makeTempDir();
  const sent: AgentEvent[] = [];
  let up = false;
  const outbox = outboxIn(dir, (e) => {
    if (!up) return Promise.reject(new Error("no responders"));
    sent.push(e);
    return Promise.resolve();
  });
  await assert.rejects(outbox.send(batch(0, 10), START), /no responders/);
  assert.deepEqual(await outbox.cursor("canary@h", START), START);
  up = true;
  await outbox.send(batch(0, 10), START);
  assert.deepEqual(await outbox.cursor("canary@h", START), at(10));
  assert.equal(sent.length, 1);
  assert.equal(
    sent[0].id,
    agentBatchId({ host: "alpha", journal: "canary@h", from: START, to: at(10) }),
  );
  assert.deepEqual(sent[0].fields, { triggers: [], from: START, to: at(10) });
  // A batch from anywhere but the cursor is refused with the ingest's own error.
  await assert.rejects(outbox.send(batch(0, 20), START), JournalCursorMovedError);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("AgentBatchOutbox.send() after a failed publish sends that same event again before a differently cut batch", async () => {
  const dir = await Deno.makeTempDir();
  const sent: AgentEvent[] = [];
  let fail = true;
  const publish = (e: AgentEvent) => {
    sent.push(e);
    return fail ? Promise.reject(new Error("timeout")) : Promise.resolve();
  };
  await assert.rejects((outboxIn(dir, publish)).send(batch(0, 10), START), /timeout/);
  fail = false;
  // A restarted agent (a new outbox on the same files) read more records since: 0..25.
  const restarted = outboxIn(dir, publish);
  await assert.rejects(restarted.send(batch(0, 25), START), JournalCursorMovedError);
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[1], sent[0], "the first cut went again, as it was");
  assert.deepEqual(await restarted.cursor("canary@h", START), at(10));
  await restarted.send(batch(10, 25), START);
  assert.deepEqual(sent.map((e) => [e.fields.from, e.fields.to]), [
    [START, at(10)],
    [START, at(10)],
    [at(10), at(25)],
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("AgentBatchOutbox.send() of one key runs one at a time: two ingests never both publish from one cursor", async () => {
  const dir = await Deno.makeTempDir();
  const sent: AgentEvent[] = [];
  const outbox = outboxIn(dir, async (e) => {
    await Promise.resolve();
    sent.push(e);
  });
  const results = await Promise.allSettled([
    outbox.send(batch(0, 10), START),
    outbox.send(batch(0, 12), START),
  ]);
  assert.equal(results[0].status, "fulfilled");
  assert.ok(
    results[1].status === "rejected" && results[1].reason instanceof JournalCursorMovedError,
  );
  assert.equal(sent.length, 1);
  await Deno.remove(dir, { recursive: true });
});
