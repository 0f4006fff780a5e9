import assert from "node:assert/strict";
import { controlTopic } from "../../core/bus/mod.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { runningWorker } from "./_running_worker.ts";
import { makeTestApp } from "./test_app.ts";

Deno.test("POST /api/v1/workers/sniffer/stop answers 409 naming systemctl when decnet up does not run the sniffer", async () => {
  await using t = await makeTestApp({ DECNET_SNIFFER: "off" });
  t.deps.workerHealth = () => [runningWorker("collector"), runningWorker("sniffer")];
  const admin = await t.login("root", "admin");
  const requested: string[] = [];
  using _sub = t.deps.bus.subscribe(controlTopic("sniffer"), ({ payload }) => {
    requested.push(String(payload.action));
  });
  const list = await (await t.request("/api/v1/workers", { token: admin })).json();
  assert.deepEqual(
    list.items.map((w: { name: string; controllable: boolean }) => [w.name, w.controllable]),
    [["collector", true], ["sniffer", false]],
  );
  for (const action of ["stop", "start"]) {
    const res = await t.request(`/api/v1/workers/sniffer/${action}`, {
      method: "POST",
      token: admin,
    });
    assert.equal(res.status, 409);
    assert.match(
      (await res.json()).error.message,
      new RegExp(`decnet up does not run it \\(DECNET_SNIFFER is off\\).*systemctl ${action}`),
    );
  }
  const collector = await t.request("/api/v1/workers/collector/stop", {
    method: "POST",
    token: admin,
  });
  assert.equal(collector.status, 202);
  await collector.body?.cancel();
  assert.deepEqual(requested, [], "nothing asked of a sniffer nobody here controls");
});

Deno.test("POST /api/v1/workers/sniffer/stop is requested on the bus when decnet up runs the sniffer", async () => {
  await using t = await makeTestApp({ DECNET_SNIFFER: "on" });
  t.deps.workerHealth = () => [runningWorker("sniffer")];
  const admin = await t.login("root", "admin");
  const requested: string[] = [];
  using _sub = t.deps.bus.subscribe(controlTopic("sniffer"), ({ payload }) => {
    requested.push(String(payload.action));
  });
  const list = await (await t.request("/api/v1/workers", { token: admin })).json();
  assert.equal(list.items[0].controllable, true);
  const res = await t.request("/api/v1/workers/sniffer/stop", { method: "POST", token: admin });
  assert.equal(res.status, 202);
  await res.body?.cancel();
  await waitUntil(() => requested.length === 1, { what: "the stop request on the bus" });
  assert.deepEqual(requested, ["stop"]);
});
