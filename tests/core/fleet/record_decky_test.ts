import assert from "node:assert/strict";
import { type BusMessage, MemoryBus, TOPIC_PATTERNS } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import type { DockerClient } from "../../../core/docker/mod.ts";
import {
  type FleetContext,
  type FleetRows,
  forgetDecky,
  recordDecky,
  StateFile,
} from "../../../core/fleet/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const NOW = new Date("2026-11-18T14:00:00.000Z");
const RECORD = {
  name: "ws-01",
  uuid: "11111111-1111-4111-8111-111111111111",
  ip: "192.0.2.10",
  services: ["ssh"],
  images: { base: "img", ssh: "img" },
  network: "decoys",
  networkDriver: "bridge",
  osPersona: "linux",
};

async function withContext(
  fleet: FleetRows | undefined,
  fn: (context: FleetContext, lines: string[], messages: BusMessage[]) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir();
  await using handle = await openMigratedDatabase("sqlite::memory:");
  await using bus = new MemoryBus({ channel: `t-${crypto.randomUUID()}` });
  const messages: BusMessage[] = [];
  const sub = bus.subscribe(TOPIC_PATTERNS.deckyState, (m) => {
    messages.push(m);
  });
  const lines: string[] = [];
  try {
    await fn(
      {
        hostUuid: "local",
        docker: {} as DockerClient,
        fleet: fleet ?? createRepositories(handle).fleet,
        stateFile: new StateFile(home, "local"),
        bus,
        log: new Logger({ level: "warn", sink: (_level, line) => lines.push(line) }),
        now: () => NOW,
      },
      lines,
      messages,
    );
  } finally {
    sub.unsubscribe();
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("recordDecky() writes the state file and the row, and publishes the change", async () => {
  await withContext(undefined, async (context, _lines, messages) => {
    await recordDecky(context, { ...RECORD, state: "running" });
    assert.equal((await context.fleet.get("local", "ws-01"))?.state, "running");
    assert.equal((await context.stateFile.read())[0].state, "running");
    await recordDecky(context, { ...RECORD, state: "running" });
    assert.equal(context.bus!.stats().published, 1);
    await waitUntil(() => messages.length === 1, { what: "decky state message" });
    assert.deepEqual(
      { from: messages[0].payload.from, to: messages[0].payload.to },
      { from: null, to: "running" },
    );
  });
});

Deno.test("recordDecky() keeps the state file right when the database is down", async () => {
  const down = () => Promise.reject(new Error("connection refused"));
  const rows: FleetRows = { get: down, upsert: down, list: down, remove: down };
  await withContext(rows, async (context, lines) => {
    await recordDecky(context, { ...RECORD, state: "running" });
    assert.deepEqual((await context.stateFile.read()).map((d) => [d.name, d.state]), [
      ["ws-01", "running"],
    ]);
    assert.ok(lines.some((l) => /database write failed/.test(l)), lines.join("\n"));
    assert.equal(await forgetDecky(context, "ws-01"), true);
    assert.deepEqual(await context.stateFile.read(), []);
  });
});
