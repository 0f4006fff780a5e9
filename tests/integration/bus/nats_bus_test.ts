import assert from "node:assert/strict";
import { NatsBus, openBus } from "../../../core/bus/mod.ts";
import type { BusMessage } from "../../../core/bus/mod.ts";
import { Logger, printError } from "../../../core/log/mod.ts";
import { natsUnavailable, startNats } from "../../infra/nats.ts";
import type { NatsServer } from "../../infra/nats.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { runBusContract } from "../../core/bus/bus_contract.ts";

const quiet = new Logger({ level: "error", sink: () => {} });
const skip = natsUnavailable();
if (skip) printError(`Skipping NatsBus tests: ${skip}`);

let server: NatsServer | undefined;

if (!skip) {
  runBusContract("NatsBus", async ({ queueSize }) => {
    const bus = new NatsBus(server!.url, { queueSize, logger: quiet, reconnectWaitMs: 50 });
    await bus.ready();
    return bus;
  }, {
    beforeAll: async () => {
      server = await startNats();
    },
    afterAll: async () => {
      await server?.close();
    },
  });
}

Deno.test({
  name: "NatsBus subscriptions work again after the server is killed and restarted",
  ignore: !!skip,
  async fn() {
    await using nats = await startNats();
    await using bus = new NatsBus(nats.url, { logger: quiet, reconnectWaitMs: 50 });
    await bus.ready();
    const got: BusMessage[] = [];
    bus.subscribe("decky.*.state", (m) => {
      got.push(m);
    });
    await waitUntil(() => {
      bus.publish("decky.local:web-01.state", { to: "running" });
      return got.length > 0;
    }, { intervalMs: 10, what: "first delivery" });

    await nats.kill();
    await waitUntil(() => !bus.stats().connected, { intervalMs: 10, what: "disconnect noticed" });
    // Publishing while the server is down neither throws nor blocks.
    for (let i = 0; i < 100; i++) bus.publish("decky.local:web-01.state", { to: "down", i });

    await nats.restart();
    await waitUntil(() => bus.stats().connected, { what: "reconnect" });
    const before = got.length;
    await waitUntil(() => {
      bus.publish("decky.local:web-02.state", { to: "after_restart" });
      return got.slice(before).some((m) => m.payload.to === "after_restart");
    }, { intervalMs: 20, what: "delivery after restart" });
    assert.equal(bus.stats().subscriptions.length, 1);
  },
});

Deno.test({
  name: "openBus() connects in the background when the server starts later",
  ignore: !!skip,
  async fn() {
    await using nats = await startNats();
    await nats.kill();
    await using bus = openBus({
      busUrl: nats.url,
      name: "test",
      logger: quiet,
      reconnectWaitMs: 50,
    });
    assert.ok(bus instanceof NatsBus);
    const got: BusMessage[] = [];
    bus.subscribe("system.*.health", (m) => {
      got.push(m);
    });
    bus.publish("system.api.health", { status: "ok" });
    assert.equal(bus.stats().publishErrors, 1, "refused while never connected");
    await nats.restart();
    await bus.ready();
    await waitUntil(() => {
      bus.publish("system.api.health", { status: "ok" });
      return got.length > 0;
    }, { intervalMs: 10, what: "delivery once connected" });
    assert.equal(got[0].topic, "system.api.health");
  },
});

Deno.test({
  name: "NatsBus.close() stops the connection attempts when no server ever came",
  ignore: !!skip,
  async fn() {
    await using nats = await startNats();
    await nats.kill();
    const bus = new NatsBus(nats.url, { logger: quiet, reconnectWaitMs: 50 });
    const ac = new AbortController();
    const ready = bus.ready(ac.signal);
    ac.abort(new Error("gave up"));
    await assert.rejects(ready, /gave up/);
    await bus.close();
    assert.equal(bus.stats().connected, false);
  },
});
