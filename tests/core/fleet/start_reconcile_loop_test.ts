import assert from "node:assert/strict";
import { DockerUnreachableError } from "../../../core/docker/mod.ts";
import { StateFile } from "../../../core/fleet/mod.ts";
import { memoryFleetRows } from "../../../core/fleet/memory_fleet_rows.ts";
import { startReconcileLoop } from "../../../core/fleet/start_reconcile_loop.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { FakeDocker } from "../orchestrator/_fake_docker.ts";

const NOW = new Date("2026-12-01T19:00:00.000Z");

async function withLoop(
  fn: (loop: {
    docker: FakeDocker;
    lines: string[];
    passesReach: (n: number) => Promise<Record<string, unknown>>;
  }) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir();
  const stateFile = new StateFile(home, "local");
  await stateFile.update(() => [{
    name: "ws-01",
    uuid: crypto.randomUUID(),
    ip: "192.0.2.10",
    services: ["ssh"],
    images: { base: "debian:12", ssh: "openssh:9" },
    network: "decoys",
    networkDriver: "bridge",
    osPersona: "linux",
    state: "running",
    stateSince: NOW.toISOString(),
  }], NOW);
  const docker = new FakeDocker();
  const lines: string[] = [];
  const log = new Logger({ level: "info", sink: (_level, line) => lines.push(line) });
  const loop = startReconcileLoop({
    hostUuid: "local",
    docker,
    fleet: memoryFleetRows(() => NOW),
    stateFile,
    log,
    now: () => NOW,
  }, 1);
  try {
    await fn({
      docker,
      lines,
      passesReach: async (n) => {
        await waitUntil(() => Number(loop.extras().passes) >= n, { what: `${n} passes` });
        return loop.extras();
      },
    });
  } finally {
    await loop.close();
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("startReconcileLoop() over memory rows records a decky once, then finds it unchanged", async () => {
  await withLoop(async ({ passesReach }) => {
    const first = await passesReach(1);
    assert.equal(first.last_inserted, 1);
    const second = await passesReach(2);
    assert.equal(second.last_inserted, 0);
    assert.equal(second.last_changed, 0);
    assert.equal(second.last_unchanged, 1);
  });
});

Deno.test("startReconcileLoop() says once per outage that Docker is unreachable, and when it is back", async () => {
  await withLoop(async ({ docker, lines, passesReach }) => {
    let down = true;
    const list = docker.listContainers.bind(docker);
    docker.listContainers = () =>
      down
        ? Promise.reject(new DockerUnreachableError("unix:///absent.sock", { operation: "list" }))
        : list();
    assert.equal((await passesReach(3)).docker, "unreachable");
    const warned = () => lines.filter((l) => l.includes("Docker unreachable")).length;
    assert.equal(warned(), 1, lines.join("\n"));
    down = false;
    await waitUntil(() => lines.some((l) => l.includes("Docker reachable again")), {
      what: "Docker back",
    });
    assert.equal(warned(), 1);
  });
});
