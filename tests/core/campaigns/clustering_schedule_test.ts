import assert from "node:assert/strict";
import { startClusteringSchedule } from "../../../core/campaigns/clustering_schedule.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const log = new Logger({ level: "error", sink: () => {} });

Deno.test("startClusteringSchedule() runs at start, then on pokes, never two at once", async () => {
  let runs = 0;
  let active = 0;
  let overlapped = false;
  let release: () => void = () => {};
  const run = async () => {
    active++;
    overlapped ||= active > 1;
    runs++;
    await new Promise<void>((r) => (release = r));
    active--;
  };
  await using schedule = startClusteringSchedule({
    run,
    log,
    intervalMs: 3_600_000,
    debounceMs: 1,
  });
  await waitUntil(() => runs === 1, { what: "the first run" });
  // Pokes during a run: exactly one more run after it.
  schedule.poke();
  schedule.poke();
  release();
  await waitUntil(() => runs === 2, { what: "the run the pokes asked for" });
  release();
  await waitUntil(() => schedule.stats().runs === 2, { what: "the second run to end" });
  schedule.poke();
  await waitUntil(() => runs === 3, { what: "a poke while idle" });
  release();
  await waitUntil(() => schedule.stats().runs === 3, { what: "the third run to end" });
  assert.equal(overlapped, false);
});

Deno.test("startClusteringSchedule() counts a failed run and keeps going", async () => {
  let calls = 0;
  const run = () => {
    calls++;
    return calls === 1 ? Promise.reject(new Error("database is down")) : Promise.resolve();
  };
  await using schedule = startClusteringSchedule({ run, log, intervalMs: 1, debounceMs: 1 });
  await waitUntil(() => schedule.stats().runs >= 1, { what: "a run after the failure" });
  const stats = schedule.stats();
  assert.equal(stats.failures, 1);
  assert.equal(stats.last_error, "database is down");
});
