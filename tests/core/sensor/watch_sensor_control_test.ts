import assert from "node:assert/strict";
import { watchSensorControl } from "../../../core/sensor/watch_sensor_control.ts";
import { waitUntil } from "../../infra/wait_until.ts";

Deno.test("watchSensorControl() asks once per kill-<session> file and ignores anything else", async () => {
  const dir = await Deno.makeTempDir();
  const stop = new AbortController();
  const kills: string[] = [];
  const trusted: string[] = [];
  const watching = watchSensorControl(dir, {
    kill: (s) => kills.push(s),
    trust: (k) => trusted.push(k),
  }, {
    signal: stop.signal,
    intervalMs: 10,
  });
  try {
    await Deno.writeTextFile(`${dir}/kill-0b9e6c1e-5d7a-4c1b-9a55-1f0f2d3c4b5a`, "");
    await Deno.writeTextFile(`${dir}/kill-a b`, "");
    await Deno.writeTextFile(`${dir}/notes`, "");
    await Deno.mkdir(`${dir}/kill-dir`);
    await waitUntil(() => kills.length === 1);
    await Deno.writeTextFile(`${dir}/kill-s-2`, "");
    await waitUntil(() => kills.length === 2);
    assert.deepEqual(kills, ["0b9e6c1e-5d7a-4c1b-9a55-1f0f2d3c4b5a", "s-2"]);
    await Deno.writeTextFile(`${dir}/trust-${"ab".repeat(32)}`, "");
    await Deno.writeTextFile(`${dir}/trust-not-a-digest`, "");
    await waitUntil(() => trusted.length === 1);
    assert.deepEqual(trusted, ["ab".repeat(32)]);
  } finally {
    stop.abort();
    await watching;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("watchSensorControl() waits for a folder that does not exist yet", async () => {
  const dir = await Deno.makeTempDir();
  const stop = new AbortController();
  const kills: string[] = [];
  const watching = watchSensorControl(`${dir}/control`, {
    kill: (s) => kills.push(s),
    trust: () => {},
  }, {
    signal: stop.signal,
    intervalMs: 10,
  });
  try {
    await Deno.mkdir(`${dir}/control`);
    await Deno.writeTextFile(`${dir}/control/kill-a1`, "");
    await waitUntil(() => kills.length === 1);
  } finally {
    stop.abort();
    await watching;
    await Deno.remove(dir, { recursive: true });
  }
});
