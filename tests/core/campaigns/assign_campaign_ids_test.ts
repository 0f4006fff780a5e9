import assert from "node:assert/strict";
import {
  assignCampaignIds,
  type CampaignState,
  MAX_MERGE_DEPTH,
  resolveCampaignId,
} from "../../../core/campaigns/mod.ts";

const EMPTY: CampaignState = { campaigns: [], links: new Map() };

function ids(...names: string[]): () => string {
  const queue = [...names];
  return () => {
    const id = queue.shift();
    if (!id) throw new Error("newId() called more often than expected");
    return id;
  };
}

function state(
  campaigns: Record<string, string | null>,
  links: Record<string, string>,
): CampaignState {
  return {
    campaigns: Object.entries(campaigns).map(([id, mergedInto]) => ({ id, mergedInto })),
    links: new Map(Object.entries(links)),
  };
}

function mergedIntoOf(s: CampaignState): Record<string, string | null> {
  return Object.fromEntries(s.campaigns.map((c) => [c.id, c.mergedInto]));
}

Deno.test("assignCampaignIds() forms a campaign per new component and links its identities", () => {
  const run = assignCampaignIds(EMPTY, [["b"], ["a", "x"]], { newId: ids("c1", "c2") });
  assert.deepEqual(run.componentIds, ["c2", "c1"], "ids are made in component key order");
  assert.deepEqual(run.events, [
    { kind: "formed", campaign: "c1" },
    { kind: "identity_assigned", identity: "a", campaign: "c1", previous: null },
    { kind: "identity_assigned", identity: "x", campaign: "c1", previous: null },
    { kind: "formed", campaign: "c2" },
    { kind: "identity_assigned", identity: "b", campaign: "c2", previous: null },
  ]);
  assert.deepEqual(Object.fromEntries(run.state.links), { a: "c1", b: "c2", x: "c1" });
});

Deno.test("assignCampaignIds() keeps ids and says nothing when nothing changed", () => {
  const before = state({ c1: null, c2: null }, { a: "c1", b: "c2" });
  const run = assignCampaignIds(before, [["a"], ["b"]], { newId: ids() });
  assert.deepEqual(run.componentIds, ["c1", "c2"]);
  assert.deepEqual(run.events, []);
  assert.deepEqual(run.state, before);
});

Deno.test("assignCampaignIds() links a new identity to the campaign it joins", () => {
  const run = assignCampaignIds(state({ c1: null }, { a: "c1" }), [["a", "n"]], { newId: ids() });
  assert.deepEqual(run.events, [{
    kind: "identity_assigned",
    identity: "n",
    campaign: "c1",
    previous: null,
  }]);
});

Deno.test("assignCampaignIds() merges into the lexicographically smallest id, softly", () => {
  const before = state({ c9: null, c10: null }, { a: "c9", b: "c10" });
  const run = assignCampaignIds(before, [["a", "b"]], { newId: ids() });
  assert.deepEqual(run.componentIds, ["c10"], '"c10" < "c9" as text');
  assert.deepEqual(run.events, [{ kind: "merged", campaign: "c9", into: "c10" }]);
  assert.deepEqual(mergedIntoOf(run.state), { c10: null, c9: "c10" });
  assert.deepEqual(
    Object.fromEntries(run.state.links),
    { a: "c9", b: "c10" },
    "identities keep their link",
  );
});

Deno.test("assignCampaignIds() undoes a merge when the evidence splits the campaigns again", () => {
  const merged = assignCampaignIds(state({ c1: null, c2: null }, { a: "c1", b: "c2" }), [[
    "a",
    "b",
  ]], {
    newId: ids(),
  });
  const split = assignCampaignIds(merged.state, [["a"], ["b"]], { newId: ids() });
  assert.deepEqual(split.componentIds, ["c1", "c2"]);
  assert.deepEqual(split.events, [{ kind: "unmerged", campaign: "c2", from: "c1" }]);
  assert.deepEqual(mergedIntoOf(split.state), { c1: null, c2: null });
  assert.deepEqual(Object.fromEntries(split.state.links), { a: "c1", b: "c2" });
});

Deno.test("assignCampaignIds() splits a three-way merge along the new components", () => {
  const before = state({ c1: null, c2: "c1", c3: "c1" }, { a: "c1", b: "c2", c: "c3" });
  const run = assignCampaignIds(before, [["a"], ["b", "c"]], { newId: ids() });
  assert.deepEqual(run.componentIds, ["c1", "c2"]);
  assert.deepEqual(run.events, [
    { kind: "unmerged", campaign: "c2", from: "c1" },
    { kind: "unmerged", campaign: "c3", from: "c1" },
    { kind: "merged", campaign: "c3", into: "c2" },
  ]);
  assert.deepEqual(mergedIntoOf(run.state), { c1: null, c2: null, c3: "c2" });
});

Deno.test("assignCampaignIds() gives a campaign to the component with most of its identities", () => {
  const before = state({ c1: null }, { a: "c1", b: "c1", c: "c1" });
  const run = assignCampaignIds(before, [["c"], ["a", "b"]], { newId: ids("c2") });
  assert.deepEqual(run.componentIds, ["c2", "c1"]);
  assert.deepEqual(run.events, [
    { kind: "formed", campaign: "c2" },
    { kind: "identity_assigned", identity: "c", campaign: "c2", previous: "c1" },
  ]);
});

Deno.test("assignCampaignIds() keeps a merge whose winner's identities are absent this run", () => {
  const before = state({ c1: null, c2: "c1" }, { a: "c1", b: "c2" });
  const run = assignCampaignIds(before, [["b"]], { newId: ids() });
  assert.deepEqual(run.componentIds, ["c1"]);
  assert.deepEqual(run.events, []);
});

Deno.test("assignCampaignIds() follows and flattens chains, ignoring links to campaigns not stored", () => {
  const before = state({ c1: null, c2: "c1", c3: "c2" }, { a: "c1", c: "c3", z: "gone" });
  const run = assignCampaignIds(before, [["a", "c", "z"]], { newId: ids() });
  assert.deepEqual(run.componentIds, ["c1"]);
  assert.deepEqual(run.events, [{
    kind: "identity_assigned",
    identity: "z",
    campaign: "c1",
    previous: "gone",
  }]);
  assert.deepEqual(mergedIntoOf(run.state), { c1: null, c2: "c1", c3: "c1" });
});

Deno.test("resolveCampaignId() stops at cycles, breaks and the depth bound", () => {
  assert.equal(resolveCampaignId(new Map([["a", "b"], ["b", "a"]]), "a"), "b");
  assert.equal(resolveCampaignId(new Map([["a", "missing"]]), "a"), "a");
  const chain = new Map(
    Array.from({ length: 20 }, (_, k) => [`c${k}`, k === 19 ? null : `c${k + 1}`]),
  );
  assert.equal(resolveCampaignId(chain, "c0"), `c${MAX_MERGE_DEPTH}`);
  assert.equal(resolveCampaignId(chain, "c0", { follow: (id) => id !== "c2" }), "c1");
});
