import assert from "node:assert/strict";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import type { AgentEvent } from "../../../core/swarm/agent_event.ts";
import type { AppliedStanding } from "../../../core/swarm/apply_agent_event.ts";
import {
  type AgentEventMessage,
  handleAgentEventMessage,
} from "../../../core/swarm/handle_agent_event_message.ts";

/** A JetStream message as the handler sees it, recording how it was settled. */
function message(subject: string, body: unknown, deliveryCount = 1) {
  const settled: string[] = [];
  const msg: AgentEventMessage = {
    subject,
    info: { deliveryCount },
    json: <T>() => {
      if (typeof body === "string") return JSON.parse(body) as T;
      return body as T;
    },
    ack: () => void settled.push("ack"),
    nak: (ms?: number) => void settled.push(`nak ${ms}`),
    term: () => void settled.push("term"),
  };
  return { msg, settled };
}

const EVENT: AgentEvent = {
  id: "e1",
  kind: "canary_batch",
  at: "2026-12-01T10:00:00.000Z",
  fields: {},
};

Deno.test("handleAgentEventMessage() settles each message by what became of it, never throwing", async (t) => {
  await using handle = await openDatabase("sqlite::memory:");
  await migrateToLatest(handle);
  const { swarmEvents } = createRepositories(handle);
  const lines: string[] = [];
  const log = new Logger({ level: "debug", sink: (_level, line) => void lines.push(line) });
  const run = (
    subject: string,
    body: unknown,
    apply?: (host: string, e: AgentEvent) => Promise<AppliedStanding | null>,
    deliveries = 1,
  ) => {
    const { msg, settled } = message(subject, body, deliveries);
    return handleAgentEventMessage(msg, { events: swarmEvents, apply, log, retryMs: 7 })
      .then((outcome) => ({ outcome, settled }));
  };
  const subject = "decnet.agent.alpha.events.canary_batch";

  await t.step("applied now: ack; applied before: ack", async () => {
    assert.deepEqual(await run(subject, EVENT, () => Promise.resolve("next")), {
      outcome: "stored",
      settled: ["ack"],
    });
    assert.deepEqual(await run(subject, EVENT, () => Promise.resolve("done")), {
      outcome: "duplicate",
      settled: ["ack"],
    });
  });
  await t.step(
    "an earlier batch pending, or the database down: nak with the retry wait",
    async () => {
      assert.deepEqual(await run(subject, EVENT, () => Promise.resolve("pending")), {
        outcome: "retry",
        settled: ["nak 7"],
      });
      assert.deepEqual(await run(subject, EVENT, () => Promise.reject(new Error("db is down"))), {
        outcome: "retry",
        settled: ["nak 7"],
      });
    },
  );
  await t.step("a batch that keeps waiting is said now and then", async () => {
    lines.length = 0;
    for (const deliveries of [1, 59, 60, 61, 120]) {
      await run(subject, EVENT, () => Promise.resolve("pending"), deliveries);
    }
    assert.equal(lines.length, 2);
    assert.match(lines[0], /still waits for an earlier batch/);
  });
  await t.step("malformed: term and a log line naming why", async () => {
    lines.length = 0;
    const cases: [string, unknown][] = [
      [subject, "{not json"],
      [subject, { ...EVENT, id: "has space" }],
      ["decnet.agent.NOT_A_NAME.events.x", EVENT],
    ];
    for (const [s, body] of cases) {
      assert.deepEqual(await run(s, body, () => Promise.resolve("next")), {
        outcome: "dropped",
        settled: ["term"],
      });
    }
    const badField = await run(
      subject,
      EVENT,
      () => Promise.reject(new TypeError("Bad agent batch: from must be an object")),
    );
    assert.deepEqual(badField, { outcome: "dropped", settled: ["term"] });
    assert.equal(lines.length, 4);
    assert.match(lines.at(-1)!, /from must be an object/);
  });
  await t.step("an overlapping batch: term and an error logged", async () => {
    lines.length = 0;
    assert.deepEqual(await run(subject, EVENT, () => Promise.resolve("overlap")), {
      outcome: "dropped",
      settled: ["term"],
    });
    assert.match(lines[0], /overlaps/);
  });
  await t.step("a kind nothing applies is kept raw by id, once", async () => {
    const raw = { ...EVENT, id: "raw-1", kind: "test", fields: { n: 1 } };
    assert.deepEqual(await run(subject, raw, () => Promise.resolve(null)), {
      outcome: "stored",
      settled: ["ack"],
    });
    assert.deepEqual(await run(subject, raw), { outcome: "duplicate", settled: ["ack"] });
    assert.equal(await swarmEvents.count("alpha"), 1);
  });
});
