import assert from "node:assert/strict";
import { type ActorSpec, generateScenario } from "./generate_scenario.ts";

const actor: ActorSpec = {
  name: "a",
  campaign: "c",
  addresses: 3,
  days: [0, 1, 2, 3, 4, 5],
  hours: [22, 3],
  toolchain: { tools: ["kit"], ja3: true, hassh: true },
  phases: [{
    day: 2,
    phases: ["initial_access", "persistence"],
    targets: ["dc01"],
    tools: ["implant"],
  }],
  payloads: ["p"],
};

Deno.test("generateScenario() gives the same data for the same seed and other data for another", () => {
  const spec = { seed: 3, actors: [{ ...actor, rotation: "rotating" as const }], scanners: 4 };
  assert.deepEqual(generateScenario(spec), generateScenario(spec));
  assert.notDeepEqual(generateScenario(spec), generateScenario({ ...spec, seed: 4 }));
});

Deno.test("generateScenario() keeps sessions in the active hours and an address per run of days when sticky", () => {
  const { observations, identity, campaign } = generateScenario({ seed: 1, actors: [actor] });
  assert.equal(observations.length, 3);
  assert.deepEqual([identity, campaign], [["a", "a", "a"], ["c", "c", "c"]]);
  const days = observations.map((o) =>
    (o.sessions ?? []).map(([s]) =>
      Math.floor((Date.parse(s) - Date.parse("2026-03-02")) / 86_400_000)
    )
  );
  // Each night's second session starts after midnight: the shift wraps (22-03 UTC).
  assert.deepEqual(days, [[0, 1, 1, 2], [2, 3, 3, 4], [4, 5, 5, 6]]);
  for (const o of observations) {
    for (const [s, e] of o.sessions ?? []) {
      const hour = new Date(s).getUTCHours();
      assert.ok(hour >= 22 || hour < 3, `${s} starts in 22-03 UTC`);
      assert.ok(Date.parse(e) > Date.parse(s));
    }
  }
  const breached = observations.find((o) => o.phases?.length)!;
  assert.deepEqual(breached.phases!.map((p) => p.phase), ["initial_access", "persistence"]);
  assert.deepEqual(breached.tools, ["kit", "implant"]);
  assert.equal(new Set(observations.map((o) => o.ja3?.[0])).size, 1, "one toolchain, one JA3");
});

Deno.test("generateScenario() gives stock-tool scanners a shared JA3 or HASSH, never both", () => {
  const { observations } = generateScenario({ seed: 2, actors: [], scanners: 8 });
  assert.equal(observations.length, 8);
  assert.ok(observations.every((o) => (o.ja3 === undefined) !== (o.hassh === undefined)));
  assert.equal(new Set(observations.map((o) => o.ja3?.[0] ?? o.hassh?.[0])).size, 4);
});
