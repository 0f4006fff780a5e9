import assert from "node:assert/strict";
import type { Bus, BusMessage, BusPayload } from "../../../core/bus/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";

/** What the contract asks of an implementation's factory. */
export interface MakeBusOptions {
  /** Buses made with the same channel must reach each other (same server, same name). */
  channel: string;
  queueSize?: number;
}

/** Builds a ready-to-use bus (connected, for network buses). */
export type MakeBus = (options: MakeBusOptions) => Bus | Promise<Bus>;

/** Optional set-up around the whole suite (e.g. start a server). */
export interface BusContractHooks {
  beforeAll?: () => Promise<void>;
  afterAll?: () => Promise<void>;
}

let channelCounter = 0;
function uniqueChannel(): string {
  return `contract-${Date.now().toString(36)}-${++channelCounter}`;
}

/** Collects messages and resolves `until(n)` once n have arrived. */
class Inbox {
  readonly messages: BusMessage[] = [];
  readonly handler = (m: BusMessage): void => {
    this.messages.push(m);
  };
  async until(count: number): Promise<BusMessage[]> {
    await waitUntil(() => this.messages.length >= count, {
      what: `${count} messages (have ${this.messages.length})`,
      intervalMs: 2,
      timeoutMs: 10_000,
    });
    return this.messages;
  }
  topics(): string[] {
    return this.messages.map((m) => m.topic);
  }
}

/**
 * Registers one Deno test whose steps check every promise of the `Bus`
 * interface against the implementation `makeBus` builds.
 */
export function runBusContract(
  name: string,
  makeBus: MakeBus,
  hooks: BusContractHooks = {},
): void {
  Deno.test(`${name} satisfies the Bus contract`, async (t) => {
    await hooks.beforeAll?.();
    try {
      await steps(t, makeBus);
    } finally {
      await hooks.afterAll?.();
    }
  });
}

async function steps(t: Deno.TestContext, makeBus: MakeBus): Promise<void> {
  await t.step("subscribe() receives topic and payload of a matching publish", async () => {
    await using bus = await makeBus({ channel: uniqueChannel() });
    const inbox = new Inbox();
    bus.subscribe("canary.*.triggered", inbox.handler);
    bus.publish("canary.abc.triggered", { token_uuid: "abc", hits: 2, tags: ["a"], ok: true });
    const [m] = await inbox.until(1);
    assert.deepEqual(m, {
      topic: "canary.abc.triggered",
      payload: { token_uuid: "abc", hits: 2, tags: ["a"], ok: true },
    });
  });

  await t.step("subscribe() matches '*' as one token and '>' as the rest", async () => {
    await using bus = await makeBus({ channel: uniqueChannel() });
    const star = new Inbox();
    const rest = new Inbox();
    const exact = new Inbox();
    bus.subscribe("a.*.c", star.handler);
    bus.subscribe("a.>", rest.handler);
    bus.subscribe("a.b", exact.handler);
    for (const topic of ["a", "a.b", "a.b.c", "a.x.c", "a.b.c.d", "b.b.c", "a.b.d"]) {
      bus.publish(topic, { topic });
    }
    bus.publish("a.end.c", {});
    bus.publish("a.b", { end: true });
    await star.until(3);
    await rest.until(7);
    await exact.until(2);
    assert.deepEqual(star.topics(), ["a.b.c", "a.x.c", "a.end.c"]);
    assert.deepEqual(rest.topics(), [
      "a.b",
      "a.b.c",
      "a.x.c",
      "a.b.c.d",
      "a.b.d",
      "a.end.c",
      "a.b",
    ]);
    assert.deepEqual(exact.topics(), ["a.b", "a.b"]);
  });

  await t.step("subscribe() delivers in publish order", async () => {
    await using bus = await makeBus({ channel: uniqueChannel() });
    const inbox = new Inbox();
    bus.subscribe("seq.>", inbox.handler);
    for (let i = 0; i < 200; i++) bus.publish(`seq.n${i % 7}`, { i });
    const got = await inbox.until(200);
    assert.deepEqual(got.map((m) => m.payload.i), [...Array(200).keys()]);
  });

  await t.step("unsubscribe() stops delivery and may be called twice", async () => {
    await using bus = await makeBus({ channel: uniqueChannel() });
    const gone = new Inbox();
    const kept = new Inbox();
    const sub = bus.subscribe("u.>", gone.handler);
    bus.subscribe("u.>", kept.handler);
    bus.publish("u.1", {});
    await gone.until(1);
    sub.unsubscribe();
    sub.close();
    bus.publish("u.2", {});
    await kept.until(2);
    assert.deepEqual(gone.topics(), ["u.1"]);
    assert.equal(bus.stats().subscriptions.length, 1);
  });

  await t.step("publish() reaches another bus on the same channel", async () => {
    const channel = uniqueChannel();
    await using a = await makeBus({ channel });
    await using b = await makeBus({ channel });
    const atA = new Inbox();
    const atB = new Inbox();
    a.subscribe("x.*", atA.handler);
    b.subscribe("x.*", atB.handler);
    // Network buses need the remote subscription registered: publish until it lands.
    await waitUntil(() => {
      a.publish("x.probe", {});
      return atB.messages.length > 0;
    }, { intervalMs: 10, what: "remote subscription" });
    b.publish("x.from_b", { n: 1 });
    await waitUntil(() => atA.topics().includes("x.from_b"), { intervalMs: 2, what: "x.from_b" });
    await waitUntil(() => atB.topics().includes("x.from_b"), { intervalMs: 2, what: "local copy" });
    assert.deepEqual(atA.messages.find((m) => m.topic === "x.from_b")?.payload, { n: 1 });
  });

  await t.step("subscribe() gives each subscriber its own payload copy", async () => {
    await using bus = await makeBus({ channel: uniqueChannel() });
    const first = new Inbox();
    const second = new Inbox();
    bus.subscribe("copy.>", (m) => {
      (m.payload as { n: number }).n = 99;
      first.handler(m);
    });
    bus.subscribe("copy.>", second.handler);
    const payload = { n: 1 };
    bus.publish("copy.one", payload);
    await first.until(1);
    await second.until(1);
    assert.equal(payload.n, 1);
    assert.equal(second.messages[0].payload.n, 1);
  });

  await t.step("publish() is not blocked by a slow subscriber, which drops oldest", async () => {
    await using bus = await makeBus({ channel: uniqueChannel() });
    let release!: () => void;
    const gate = new Promise<void>((r) => release = r);
    const slow = new Inbox();
    const fast = new Inbox();
    bus.subscribe("slow.>", async (m) => {
      slow.handler(m);
      await gate;
    }, { queueSize: 10 });
    bus.subscribe("slow.>", fast.handler);
    bus.publish("slow.0", { i: 0 });
    await slow.until(1);
    for (let i = 1; i <= 100; i++) bus.publish(`slow.${i}`, { i });
    await fast.until(101);
    const slowStats = () => bus.stats().subscriptions[0];
    await waitUntil(() => {
      const s = slowStats();
      return s.delivered + s.queued + s.dropped === 101;
    }, { intervalMs: 2, what: "slow subscriber to hold every message" });
    assert.equal(slowStats().queued, 10);
    assert.equal(slowStats().dropped, 90);
    release();
    await slow.until(11);
    const newest = Array.from({ length: 10 }, (_, k) => 91 + k);
    assert.deepEqual(slow.messages.map((m) => m.payload.i), [0, ...newest]);
    const stats = bus.stats();
    assert.equal(stats.dropped, 90);
    assert.equal(stats.published, 101);
    assert.equal(stats.delivered, 101 + 11);
  });

  await t.step("subscribe() keeps delivering after a handler throws", async () => {
    await using bus = await makeBus({ channel: uniqueChannel() });
    const inbox = new Inbox();
    bus.subscribe("boom.>", (m) => {
      inbox.handler(m);
      if (m.payload.fail === "sync") throw new Error("sync failure");
      if (m.payload.fail === "async") return Promise.reject(new Error("async failure"));
    });
    bus.publish("boom.1", { fail: "sync" });
    bus.publish("boom.2", { fail: "async" });
    bus.publish("boom.3", {});
    await inbox.until(3);
    await waitUntil(() => bus.stats().failed === 2, { intervalMs: 2, what: "failure count" });
    assert.equal(bus.stats().subscriptions[0].failed, 2);
  });

  await t.step("publish() never throws and counts refused messages", async () => {
    const bus = await makeBus({ channel: uniqueChannel() });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: [string, unknown][] = [
      ["", {}],
      ["a..b", {}],
      ["a.*", {}],
      ["a.>", {}],
      ["has space.x", {}],
      ["ok.topic", null],
      ["ok.topic", [1, 2]],
      ["ok.topic", cyclic],
      ["ok.topic", { big: 1n }],
    ];
    for (const [topic, payload] of bad) {
      bus.publish(topic, payload as BusPayload);
    }
    assert.equal(bus.stats().publishErrors, bad.length);
    assert.equal(bus.stats().published, 0);
    await bus.close();
    bus.publish("after.close", {});
    assert.equal(bus.stats().publishErrors, bad.length + 1);
    assert.equal(bus.stats().connected, false);
    await bus.close();
  });

  await t.step("subscribe() throws a TypeError for a bad pattern", async () => {
    await using bus = await makeBus({ channel: uniqueChannel() });
    for (const pattern of ["", "a..b", "a.>.b", "a b", "a.b*"]) {
      assert.throws(() => bus.subscribe(pattern, () => {}), TypeError, pattern);
    }
  });
}
