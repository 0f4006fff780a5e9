import assert from "node:assert/strict";
import { type StateDecky, StateFile, stateFilePaths } from "../../../core/fleet/mod.ts";

const NOW = new Date("2026-11-18T14:00:00.000Z");
const decky = (name: string): StateDecky => ({
  name,
  uuid: `u-${name}`,
  ip: null,
  services: ["ssh"],
  images: { ssh: "img" },
  network: "decoys",
  networkDriver: "bridge",
  osPersona: "linux",
  state: "running",
  stateSince: NOW.toISOString(),
});

Deno.test("StateFile.update() replaces the file atomically and read() returns it", async () => {
  const home = await Deno.makeTempDir();
  try {
    const file = new StateFile(home, "local");
    assert.deepEqual(await file.read(), []);
    await Promise.all([
      file.update((d) => [...d, decky("b")], NOW),
      file.update((d) => [...d, decky("a")], NOW),
    ]);
    assert.deepEqual((await file.read()).map((d) => d.name), ["a", "b"]);
    const raw = JSON.parse(await Deno.readTextFile(stateFilePaths(home).path));
    assert.equal(raw.host_uuid, "local");
    assert.equal(raw.deckies[0].network_driver, "bridge");
    assert.deepEqual([...Deno.readDirSync(stateFilePaths(home).tmpDir)], []);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("StateFile.read() names the file when it is not a state file", async () => {
  const home = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(stateFilePaths(home).path, "{oops");
    await assert.rejects(new StateFile(home, "local").read(), /Cannot read state file: not JSON/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
