import assert from "node:assert/strict";
import { setImmediate } from "node:timers";
import { SettleGroups } from "../../../canary/receiver/settle_groups.ts";

/** A settle per call that completes only when the test says so. */
function gatedSettles() {
  const gates: { open(): void; fail(e: Error): void }[] = [];
  const settle = () =>
    new Promise<void>((resolve, reject) => gates.push({ open: resolve, fail: reject }));
  return { gates, settle };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

Deno.test("SettleGroups.add() makes the items added in one turn share one settle", async () => {
  const { gates, settle } = gatedSettles();
  const done: [string[], unknown][] = [];
  const groups = new SettleGroups<string>(settle, (items, error) => done.push([items, error]));
  groups.add("a");
  groups.add("b");
  groups.add("c");
  assert.equal(gates.length, 1, "one settle for the three");
  await nextTurn();
  groups.add("d");
  assert.equal(gates.length, 2, "a later turn waits for a later commit");
  assert.deepEqual(done, [], "nothing is handed back before its settle completes");
  gates[1].open();
  gates[0].open();
  await groups.idle();
  assert.deepEqual(done, [[["d"], null], [["a", "b", "c"], null]]);
});

Deno.test("SettleGroups hands a group back with the error when its settle fails", async () => {
  const { gates, settle } = gatedSettles();
  const done: [number[], unknown][] = [];
  const groups = new SettleGroups<number>(settle, (items, error) => done.push([items, error]));
  groups.add(1);
  groups.add(2);
  const disk = new Error("disk full");
  gates[0].fail(disk);
  await groups.idle();
  assert.deepEqual(done, [[[1, 2], disk]]);
});

Deno.test("SettleGroups.idle() waits for every group added so far", async () => {
  const { gates, settle } = gatedSettles();
  let handed = 0;
  const groups = new SettleGroups<number>(settle, (items) => handed += items.length);
  groups.add(1);
  await nextTurn();
  groups.add(2);
  let idle = false;
  const waiting = groups.idle().then(() => idle = true);
  gates[0].open();
  await nextTurn();
  assert.equal(idle, false, "the second group is still waiting");
  gates[1].open();
  await waiting;
  assert.equal(handed, 2);
});
