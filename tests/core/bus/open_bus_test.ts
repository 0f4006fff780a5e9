import assert from "node:assert/strict";
import { MemoryBus, NatsBus, openBus } from "../../../core/bus/mod.ts";
import { Logger } from "../../../core/log/mod.ts";

const quiet = new Logger({ level: "error", sink: () => {} });

Deno.test("openBus() returns a MemoryBus when no URL is set", async () => {
  for (const busUrl of [undefined, null, ""]) {
    await using bus = openBus({ busUrl, channel: `factory-${crypto.randomUUID()}`, logger: quiet });
    assert.ok(bus instanceof MemoryBus);
    assert.equal(bus.stats().kind, "memory");
  }
});

Deno.test("openBus() returns a NatsBus for nats:// URLs", async () => {
  // Port 9 (discard) on a reserved address: nothing answers, the bus keeps trying until closed.
  await using bus = openBus({ busUrl: "nats://192.0.2.1:9", logger: quiet });
  assert.ok(bus instanceof NatsBus);
  assert.equal(bus.stats().connected, false);
});

Deno.test("openBus() rejects other schemes without echoing credentials", () => {
  assert.throws(
    () => openBus({ busUrl: "redis://user:hunter2@host:6379" }),
    (e: unknown) =>
      e instanceof TypeError && /expected nats:\/\/host:port/.test(e.message) &&
      !e.message.includes("hunter2"),
  );
  assert.throws(() => new NatsBus("nats://"), TypeError);
});
