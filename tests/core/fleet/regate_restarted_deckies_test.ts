import assert from "node:assert/strict";
import type { ContainerDetails } from "../../../core/docker/mod.ts";
import { type FleetRows, StateFile } from "../../../core/fleet/mod.ts";
import { regateRestartedDeckies } from "../../../core/fleet/regate_restarted_deckies.ts";
import { Logger } from "../../../core/log/mod.ts";
import { FakeDocker } from "../orchestrator/_fake_docker.ts";

const NOW = new Date("2026-12-01T19:00:00.000Z");

const decky = (name: string, ssh: string) => ({
  name,
  uuid: crypto.randomUUID(),
  ip: "192.0.2.10",
  services: ["ssh"],
  images: { base: "debian:12", ssh },
  network: "decoys",
  networkDriver: "bridge",
  osPersona: "linux",
  state: "running" as const,
  stateSince: NOW.toISOString(),
});

Deno.test("regateRestartedDeckies() gates a sensor-served decky again only when its base has started since", async () => {
  const home = await Deno.makeTempDir();
  try {
    const stateFile = new StateFile(home, "local");
    await stateFile.update(
      () => [decky("ws-01", "local/netd:0.1.0"), decky("ws-02", "openssh:9")],
      NOW,
    );
    const docker = new FakeDocker();
    docker.answer = () => ({
      exitCode: 0,
      stdout: new TextEncoder().encode("open\n"),
      stderr: new Uint8Array(),
    });
    let startedAt = "2026-12-01T18:00:00.000000000Z";
    const inspect = docker.inspectContainer.bind(docker);
    docker.inspectContainer = async (name: string): Promise<ContainerDetails> => ({
      ...await inspect(name),
      startedAt,
    });
    const lines: string[] = [];
    const context = {
      hostUuid: "local",
      docker,
      fleet: {} as FleetRows,
      stateFile,
      log: new Logger({ level: "info", sink: (_level, line) => lines.push(line) }),
      now: () => NOW,
    };
    const gatedAt = new Map<string, string>();

    // A fresh reconciler gates once; ws-02's ssh is an operator image: no gate there.
    assert.equal(await regateRestartedDeckies(context, gatedAt), 1);
    assert.deepEqual(docker.created.map((c) => c.networkMode), ["container:ws-01"]);
    assert.doesNotMatch(docker.execs[0].argv[4], /add element/, "nobody let through");
    assert.deepEqual(docker.removed, ["created-1"]);

    // Same start: nothing to do.
    assert.equal(await regateRestartedDeckies(context, gatedAt), 0);
    assert.equal(docker.created.length, 1);

    // Docker restarted the base: a new namespace, gated again.
    startedAt = "2026-12-01T18:30:00.000000000Z";
    assert.equal(await regateRestartedDeckies(context, gatedAt), 1);
    assert.equal(docker.created.length, 2);
    assert.equal(gatedAt.get("ws-01"), startedAt);
    assert.match(lines.join("\n"), /gated again.*ws-01/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("regateRestartedDeckies() retries a decky whose gate failed, and skips a stopped base", async () => {
  const home = await Deno.makeTempDir();
  try {
    const stateFile = new StateFile(home, "local");
    await stateFile.update(() => [decky("ws-01", "local/netd:0.1.0")], NOW);
    const docker = new FakeDocker();
    let running = false;
    const inspect = docker.inspectContainer.bind(docker);
    docker.inspectContainer = async (name: string): Promise<ContainerDetails> => ({
      ...await inspect(name),
      running,
      startedAt: "2026-12-01T18:00:00.000000000Z",
    });
    docker.answer = () => ({
      exitCode: 1,
      stdout: new Uint8Array(),
      stderr: new TextEncoder().encode("nft: Operation not permitted"),
    });
    const lines: string[] = [];
    const context = {
      hostUuid: "local",
      docker,
      fleet: {} as FleetRows,
      stateFile,
      log: new Logger({ level: "info", sink: (_level, line) => lines.push(line) }),
      now: () => NOW,
    };
    const gatedAt = new Map<string, string>();
    assert.equal(await regateRestartedDeckies(context, gatedAt), 0);
    assert.equal(docker.created.length, 0, "stopped: no namespace to gate");

    running = true;
    assert.equal(await regateRestartedDeckies(context, gatedAt), 0);
    assert.match(lines.join("\n"), /not gated again.*ws-01.*Operation not permitted/);
    assert.equal(gatedAt.size, 0);

    docker.answer = undefined;
    assert.equal(await regateRestartedDeckies(context, gatedAt), 1);
    assert.equal(docker.created.length, 2);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
