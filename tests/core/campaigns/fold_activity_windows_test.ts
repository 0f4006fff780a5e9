import assert from "node:assert/strict";
import { foldActivityWindows } from "../../../core/campaigns/fold_activity_windows.ts";

const MIN = 60_000;

Deno.test("foldActivityWindows() groups times closer than the gap into one window", () => {
  assert.deepEqual(foldActivityWindows([], [5 * MIN, 0, 20 * MIN, 90 * MIN], 30 * MIN), [
    [0, 20 * MIN],
    [90 * MIN, 90 * MIN],
  ]);
});

Deno.test("foldActivityWindows() joins windows a new time bridges", () => {
  const windows: [number, number][] = [[0, 10 * MIN], [50 * MIN, 60 * MIN]];
  assert.deepEqual(foldActivityWindows(windows, [30 * MIN], 20 * MIN), [[0, 60 * MIN]]);
  assert.deepEqual(windows, [[0, 10 * MIN], [50 * MIN, 60 * MIN]], "the input is not changed");
});

Deno.test("foldActivityWindows() gives the same windows in one batch or many", () => {
  const times = [3, 700, 15, 1200, 40, 2900, 2950, 1210].map((t) => t * MIN);
  let folded: [number, number][] = [];
  for (const t of times) folded = foldActivityWindows(folded, [t]);
  assert.deepEqual(folded, foldActivityWindows([], times));
  assert.equal(folded.length, 5);
});
