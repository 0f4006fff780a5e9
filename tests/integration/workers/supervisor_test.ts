import assert from "node:assert/strict";
import { controlTopic, MemoryBus, TOPIC_PATTERNS } from "../../../core/bus/mod.ts";
import type { BusPayload } from "../../../core/bus/mod.ts";
import { loadConfig } from "../../../core/config/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { Supervisor } from "../../../core/workers/mod.ts";
import { testRegistry } from "../../testdata/workers/test_entry.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const ENTRY = new URL("../../testdata/workers/test_entry.ts", import.meta.url).href;
const config = loadConfig({ DECNET_HOME: "/tmp/none" }, {
  readTextFile: () => {
    throw new Deno.errors.NotFound("none");
  },
});

function setup(enabled: string[]) {
  const channel = `sup-${crypto.randomUUID()}`;
  const bus = new MemoryBus({ channel });
  const health: BusPayload[] = [];
  bus.subscribe(TOPIC_PATTERNS.health, ({ payload }) => void health.push(payload));
  const banners: string[] = [];
  const supervisor = new Supervisor({
    config,
    registry: testRegistry(),
    entryUrl: ENTRY,
    enabled,
    bus,
    busChannel: channel,
    log: new Logger({ level: "error", sink: () => {} }),
    random: () => 0,
    backoff: { baseMs: 50, maxMs: 200 },
    stopTimeoutMs: 2000,
    onBanner: (_w, lines) => banners.push(...lines),
  });
  return { bus, supervisor, health, banners };
}

Deno.test("Supervisor starts workers that heartbeat, and stops them on close", async () => {
  const { bus, supervisor, health, banners } = setup(["steady"]);
  try {
    await supervisor.start();
    assert.deepEqual(banners, ["steady up"]);
    await waitUntil(() => health.some((h) => h.worker === "steady" && h.state === "running"), {
      what: "heartbeat",
    });
    const beat = health.find((h) => h.worker === "steady")!;
    assert.equal(beat.restarts, 0);
    assert.deepEqual((beat.details as Record<string, unknown>).ok, true);
  } finally {
    await supervisor.close();
    await bus.close();
  }
  assert.deepEqual(supervisor.status().map((s) => s.state), ["stopped"]);
});

Deno.test("Supervisor restarts a crashed worker with backoff and publishes each restart", async () => {
  const { bus, supervisor, health } = setup(["crashy"]);
  try {
    await supervisor.start();
    await waitUntil(() => supervisor.status()[0].restarts >= 3, {
      what: "three restarts",
      timeoutMs: 10_000,
    });
    assert.match(supervisor.status()[0].lastError ?? "", /boom/);
    assert.ok(
      health.some((h) =>
        h.worker === "crashy" && h.state === "restarting" && (h.restarts as number) >= 1
      ),
    );
  } finally {
    await supervisor.close();
    await bus.close();
  }
});

Deno.test("Supervisor runs workers without env, file, process or network access they did not ask for", async () => {
  const { bus, supervisor, health } = setup(["snoop"]);
  try {
    await supervisor.start();
    await waitUntil(() => health.some((h) => h.worker === "snoop" && h.state === "running"), {
      what: "snoop",
    });
    const beat = health.find((h) => h.worker === "snoop" && h.state === "running")!;
    assert.equal((beat.details as Record<string, unknown>).denied, "env,read,run,net");
  } finally {
    await supervisor.close();
    await bus.close();
  }
});

Deno.test("Supervisor obeys control: stop over the bus, start again", async () => {
  const { bus, supervisor } = setup(["steady"]);
  try {
    await supervisor.start();
    bus.publish(controlTopic("steady"), { action: "stop", at: new Date().toISOString() });
    await waitUntil(() => supervisor.status()[0].state === "stopped", { what: "stopped" });
    bus.publish(controlTopic("steady"), { action: "start", at: new Date().toISOString() });
    await waitUntil(() => supervisor.status()[0].state === "running", { what: "running again" });
    assert.equal(supervisor.status()[0].restarts, 0);
  } finally {
    await supervisor.close();
    await bus.close();
  }
});

Deno.test("Supervisor.start() rejects when a critical worker cannot start", async () => {
  const { bus, supervisor } = setup(["broken"]);
  try {
    await assert.rejects(supervisor.start(), /Cannot start worker broken: port in use/);
  } finally {
    await supervisor.close();
    await bus.close();
  }
});
