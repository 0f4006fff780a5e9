import assert from "node:assert/strict";
import { controlTopic, MemoryBus, TOPIC_PATTERNS } from "../../../core/bus/mod.ts";
import type { BusPayload } from "../../../core/bus/mod.ts";
import { loadConfig } from "../../../core/config/mod.ts";
import type { Config } from "../../../core/config/mod.ts";
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

function setup(
  enabled: string[],
  options: {
    config?: Config;
    stableAfterMs?: number;
    backoff?: { baseMs: number; maxMs: number };
  } = {},
) {
  const channel = `sup-${crypto.randomUUID()}`;
  const bus = new MemoryBus({ channel });
  const health: BusPayload[] = [];
  bus.subscribe(TOPIC_PATTERNS.health, ({ payload }) => void health.push(payload));
  const banners: string[] = [];
  const supervisor = new Supervisor({
    config: options.config ?? config,
    registry: testRegistry(),
    entryUrl: ENTRY,
    enabled,
    bus,
    busChannel: channel,
    log: new Logger({ level: "error", sink: () => {} }),
    random: () => 0,
    backoff: options.backoff ?? { baseMs: 50, maxMs: 200 },
    stableAfterMs: options.stableAfterMs,
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

Deno.test("Supervisor answers a report request for a restarting worker with its failure, at the crash's time", async () => {
  // A long backoff: the worker stays down while a listener that just started asks.
  const { bus, supervisor, health } = setup(["crashy"], {
    backoff: { baseMs: 60_000, maxMs: 60_000 },
  });
  try {
    await supervisor.start();
    await waitUntil(() => health.some((h) => h.status === "failing"), {
      what: "the crash announced",
      timeoutMs: 10_000,
    });
    const first = health.find((h) => h.status === "failing")!;
    bus.publish(controlTopic("crashy"), { action: "report", at: new Date().toISOString() });
    await waitUntil(() => health.filter((h) => h.status === "failing").length === 2, {
      what: "the failure announced again",
    });
    const again = health.filter((h) => h.status === "failing")[1];
    assert.equal(again.state, "restarting");
    // The same time: an alert raised from either is the same alert (deduplicated by its id).
    assert.equal(again.at, first.at);
    assert.match(String(again.last_error), /boom/);
  } finally {
    await supervisor.close();
    await bus.close();
  }
});

Deno.test("Supervisor shows why a worker crashed in its heartbeats after the restart", async () => {
  const { bus, supervisor, health } = setup(["crashy"]);
  try {
    await supervisor.start();
    await waitUntil(
      () => health.some((h) => h.state === "running" && (h.restarts as number) >= 1),
      { what: "a heartbeat after a restart", timeoutMs: 10_000 },
    );
    const beat = health.find((h) => h.state === "running" && (h.restarts as number) >= 1)!;
    assert.match(String(beat.last_error), /boom/);
    assert.equal(health.find((h) => h.state === "running")!.last_error, null, "first run");
  } finally {
    await supervisor.close();
    await bus.close();
  }
});

Deno.test("Supervisor doubles the restart delay while a once-stable worker fails at every start", async () => {
  const home = await Deno.makeTempDir({ prefix: "relapse-" });
  const relapseConfig = loadConfig({ DECNET_HOME: home }, {
    readTextFile: () => {
      throw new Deno.errors.NotFound("none");
    },
  });
  // stableAfterMs 0: the first run counts as stable, so only the failed starts after it may grow
  // the delay (they used to be judged by that first run and retried at the base delay forever).
  const { bus, supervisor, health } = setup(["relapse"], {
    config: relapseConfig,
    stableAfterMs: 0,
    backoff: { baseMs: 20, maxMs: 1000 },
  });
  const restarting = () => health.filter((h) => h.worker === "relapse" && h.state === "restarting");
  try {
    await supervisor.start();
    await waitUntil(() => restarting().length >= 5, { what: "five restarts", timeoutMs: 15_000 });
    const delays = restarting().slice(0, 5).map((h) =>
      (h.details as Record<string, unknown>).restart_delay_ms
    );
    assert.deepEqual(delays, [20, 40, 80, 160, 320]);
    assert.deepEqual(restarting().slice(0, 2).map((h) => h.last_error), [
      "Uncaught Error: first run ended",
      "database down",
    ]);
    assert.equal(supervisor.status()[0].lastError, "database down");
  } finally {
    await supervisor.close();
    await bus.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("Supervisor posts a worker only the configuration fields it declares (no other secret)", async () => {
  const marked = loadConfig({
    DECNET_HOME: "/tmp/none",
    DECNET_JWT_SECRET: "JWTMARK-".repeat(5),
    DECNET_ADMIN_PASSWORD: "ADMINMARK-password",
    DECNET_DB_URL: "mysql://decnet:DBMARK@192.0.2.5:3306/decnet",
    DECNET_REALISM_API_KEY: "LLMMARK-key",
    DECNET_BUS_URL: "nats://bus:BUSMARK@192.0.2.6:4222",
    DECNET_CANARY_DNS_ZONE: "t.example.org",
    DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
  }, {
    readTextFile: () => {
      throw new Deno.errors.NotFound("none");
    },
  });
  const { bus, supervisor, health } = setup(["reporter"], { config: marked });
  try {
    await supervisor.start();
    await waitUntil(() => health.some((h) => h.worker === "reporter" && h.state === "running"), {
      what: "reporter",
    });
    const beat = health.find((h) => h.worker === "reporter" && h.state === "running")!;
    const posted = JSON.parse(String((beat.details as Record<string, unknown>).posted));
    // Declared: the DNS zone and the JWT secret; the bus is in process, so no bus URL either.
    assert.deepEqual(posted.config, {
      canaryDnsZone: "t.example.org",
      jwtSecret: marked.jwtSecret,
    });
    assert.equal(posted.busUrl, null);
    for (const mark of ["ADMINMARK", "DBMARK", "LLMMARK", "BUSMARK"]) {
      assert.ok(!JSON.stringify(posted).includes(mark), mark);
    }
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
