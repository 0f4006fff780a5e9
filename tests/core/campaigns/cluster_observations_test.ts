import assert from "node:assert/strict";
import { clusterObservations, type Observation } from "../../../core/campaigns/mod.ts";

const T0 = Date.parse("2026-03-02T00:00:00Z");
const HOUR = 3600_000;
const at = (hours: number) => new Date(T0 + hours * HOUR).toISOString();
const session = (from: number, to: number) => [at(from), at(to)] as const;

function partitionOf(observations: Observation[], layer: "identity" | "campaign"): string[][] {
  const groups = new Map<string, string[]>();
  for (const a of clusterObservations(observations).assignments) {
    groups.set(a[layer], [...(groups.get(a[layer]) ?? []), a.ip]);
  }
  return [...groups.values()];
}

Deno.test("clusterObservations() makes one identity of addresses sharing a JA3 and a HASSH", async (t) => {
  await t.step("lists overlap, need not be equal; transitively", () => {
    assert.deepEqual(
      partitionOf([
        { ip: "192.0.2.1", ja3: ["j1", "j2"], hassh: ["h1"] },
        { ip: "192.0.2.2", ja3: ["j2"], hassh: ["h1", "h2"] },
        { ip: "192.0.2.3", ja3: ["j3", "j2"], hassh: ["h2"] },
        { ip: "192.0.2.4", ja3: ["j3"], hassh: ["h9"] },
      ], "identity"),
      [["192.0.2.1", "192.0.2.2", "192.0.2.3"], ["192.0.2.4"]],
    );
  });
  await t.step("digests compare in either case, blank values never match", () => {
    assert.deepEqual(
      partitionOf([
        { ip: "192.0.2.1", ja3: ["AB12"], hassh: ["cd34 "] },
        { ip: "192.0.2.2", ja3: ["ab12"], hassh: ["CD34"] },
        { ip: "192.0.2.3", ja3: [""], hassh: [" "] },
        { ip: "192.0.2.4", ja3: [""], hassh: [" "] },
      ], "identity"),
      [["192.0.2.1", "192.0.2.2"], ["192.0.2.3"], ["192.0.2.4"]],
    );
    assert.ok(joined({ payload_hashes: ["DEADBEEF"] }, { payload_hashes: ["deadbeef"] }));
  });
  await t.step("a JA3 without a HASSH, or a HASSH without a JA3, is not enough", () => {
    assert.deepEqual(
      partitionOf([
        { ip: "192.0.2.1", ja3: ["j1"], hassh: ["h1"] },
        { ip: "192.0.2.2", ja3: ["j1"], hassh: ["h2"] },
        { ip: "192.0.2.3", ja3: ["j2"], hassh: ["h1"] },
        { ip: "192.0.2.4", ja3: ["j1"] },
      ], "identity"),
      [["192.0.2.1"], ["192.0.2.2"], ["192.0.2.3"], ["192.0.2.4"]],
    );
  });
  await t.step("credentials, ASN, tools and TCP fingerprint alone never merge", () => {
    const shared = {
      asn: 64500,
      tools: ["hydra"],
      tcp_fingerprint: "4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0",
      credentials: [["root", "123456"]] as const,
    };
    assert.deepEqual(
      partitionOf([{ ip: "192.0.2.1", ...shared }, { ip: "192.0.2.2", ...shared }], "identity"),
      [["192.0.2.1"], ["192.0.2.2"]],
    );
  });
  await t.step("lines of the same address are one identity", () => {
    const result = clusterObservations([
      { ip: "192.0.2.9", ja3: ["j1"] },
      { ip: "192.0.2.1" },
      { ip: "192.0.2.9", hassh: ["h1"] },
    ]);
    assert.deepEqual(result.assignments.map((a) => a.identity), [
      "192.0.2.9",
      "192.0.2.1",
      "192.0.2.9",
    ]);
    assert.deepEqual(result.identities.map((i) => i.observations), [[1], [0, 2]]);
  });
});

/** Two identities with the given extra fields: are they one campaign? */
function joined(a: Partial<Observation>, b: Partial<Observation>): boolean {
  const result = clusterObservations([{ ...a, ip: "192.0.2.1" }, { ...b, ip: "198.51.100.1" }]);
  return result.campaigns.length === 1;
}

Deno.test("clusterObservations() joins identities into a campaign when the combined score reaches 1.0", async (t) => {
  const handoffFrom = (phase: string, hour: number) => ({
    phases: [{ decky: "dc01", phase: "reconnaissance", at: at(hour - 2) }, {
      decky: "dc01",
      phase,
      at: at(hour),
    }],
  });
  const handoffTo = (phase: string, hour: number, decky = "dc01") => ({
    phases: [{ decky, phase, at: at(hour) }, { decky, phase: "collection", at: at(hour + 1) }],
  });
  await t.step(
    "handoff: C2 or persistence last, discovery or lateral movement first, 0-24 h later",
    () => {
      assert.ok(joined(handoffFrom("command_and_control", 10), handoffTo("discovery", 20)));
      assert.ok(joined(handoffFrom("persistence", 10), handoffTo("lateral_movement", 34)));
      assert.ok(
        joined(handoffTo("Lateral Movement", 34), handoffFrom("Persistence", 10)),
        "either order, any spelling",
      );
      assert.ok(joined(handoffFrom("persistence", 10), handoffTo("discovery", 10)), "0 h is in");
    },
  );
  await t.step("no handoff: too late, before, wrong phases, other decky", () => {
    assert.ok(!joined(handoffFrom("command_and_control", 10), handoffTo("discovery", 34.01)));
    assert.ok(!joined(handoffFrom("command_and_control", 10), handoffTo("discovery", 9)));
    assert.ok(!joined(handoffFrom("exfiltration", 10), handoffTo("discovery", 12)));
    assert.ok(!joined(handoffFrom("persistence", 10), handoffTo("collection", 12)));
    assert.ok(!joined(handoffFrom("persistence", 10), handoffTo("discovery", 12, "web01")));
  });
  await t.step("shared infrastructure: payloads and C2 in one Jaccard", () => {
    assert.ok(joined({ payload_hashes: ["p1"], c2_endpoints: ["c:443"] }, {
      payload_hashes: ["p1"],
      c2_endpoints: ["c:443"],
    }));
    // Jaccard 1/2 = 0.5 alone is not enough ...
    assert.ok(
      !joined({ payload_hashes: ["p1"] }, { payload_hashes: ["p1"], c2_endpoints: ["c:443"] }),
    );
    // ... with full temporal overlap (0.4) and equal cohort (0.1) it is: 0.5 + 0.4 + 0.1.
    const together = { asn: 64500, sessions: [session(0, 2)] };
    assert.ok(joined({ ...together, payload_hashes: ["p1"] }, {
      ...together,
      payload_hashes: ["p1"],
      c2_endpoints: ["c:443"],
    }));
  });
  await t.step("keystroke: 1 - d/8 for a simhash Hamming distance d below 8", () => {
    const overlapping = { sessions: [session(0, 4)] };
    // d = 0: 0.6 + 0.4 temporal = 1.0.
    assert.ok(
      joined({ ...overlapping, kd_simhash: "00ff00ff00ff00ff" }, {
        ...overlapping,
        kd_simhash: "00ff00ff00ff00ff",
      }),
    );
    // d = 1 with equal cohort: 0.525 + 0.4 + 0.1 = 1.025.
    const same = { ...overlapping, tools: ["ssh"] };
    assert.ok(
      joined({ ...same, kd_simhash: "00ff00ff00ff00ff" }, {
        ...same,
        kd_simhash: "00ff00ff00ff00fe",
      }),
    );
    // d = 2: 0.45 + 0.4 + 0.1 = 0.95.
    assert.ok(
      !joined({ ...same, kd_simhash: "00ff00ff00ff00ff" }, {
        ...same,
        kd_simhash: "00ff00ff00ff00fc",
      }),
    );
    // Without time together, even identical typing is only 0.6.
    assert.ok(!joined({ kd_simhash: "00ff00ff00ff00ff" }, { kd_simhash: "00ff00ff00ff00ff" }));
  });
  await t.step("temporal overlap is taken in the direction that gives more", () => {
    // A is active 1 h, all inside B's 10 h: 1.0 from A's side (0.1 from B's).
    const typing = { kd_simhash: "0123456789abcdef" };
    assert.ok(
      joined({ ...typing, sessions: [session(3, 4)] }, { ...typing, sessions: [session(0, 10)] }),
    );
    assert.ok(
      !joined({ ...typing, sessions: [session(3, 4)] }, {
        ...typing,
        sessions: [session(3.5, 13.5)],
      }),
    );
  });
  await t.step("temporal overlap and cohort alone never join (at most 0.5)", () => {
    const twins = {
      asn: 64500,
      tools: ["nmap"],
      sessions: [session(0, 5)],
      credentials: [["root", "root"]] as const,
    };
    assert.ok(!joined(twins, twins));
  });
});

Deno.test("clusterObservations() explains each campaign with its strongest edges", () => {
  const result = clusterObservations([
    { ip: "203.0.113.1", payload_hashes: ["p1"] },
    {
      ip: "192.0.2.3",
      payload_hashes: ["p1"],
      phases: [{ decky: "dc01", phase: "persistence", at: at(1) }],
    },
    { ip: "192.0.2.1", payload_hashes: ["p1"] },
    {
      ip: "192.0.2.2",
      payload_hashes: ["p1", "p2"],
      phases: [{ decky: "dc01", phase: "discovery", at: at(5) }],
    },
    { ip: "198.51.100.7" },
  ]);
  assert.deepEqual(result.campaigns.map((c) => [c.key, c.identities]), [
    ["192.0.2.1", ["192.0.2.1", "192.0.2.2", "192.0.2.3", "203.0.113.1"]],
    ["198.51.100.7", ["198.51.100.7"]],
  ]);
  const [group, lone] = result.campaigns;
  // 2↔3: handoff 1 + infra 1/2 + cohort 0.1 (same decky); 1↔3 and 1↔203: infra 1.
  // 1↔2 (0.5) is no edge, and 3↔203 closes a cycle, so it is not in the tree.
  assert.deepEqual(group.edges.map((e) => [e.a, e.b, e.combined]), [
    ["192.0.2.2", "192.0.2.3", 1.6],
    ["192.0.2.1", "192.0.2.3", 1],
    ["192.0.2.1", "203.0.113.1", 1],
  ]);
  assert.equal(group.confidence, 0.5);
  assert.deepEqual(lone.edges, []);
  assert.equal(lone.confidence, 1);
});

Deno.test("clusterObservations() gives the same result whatever the input order", () => {
  const observations: Observation[] = [
    { ip: "192.0.2.5", ja3: ["j1"], hassh: ["h1"], payload_hashes: ["p1"] },
    { ip: "192.0.2.4", ja3: ["j1"], hassh: ["h1"] },
    { ip: "192.0.2.3", payload_hashes: ["p1"] },
    { ip: "192.0.2.2", c2_endpoints: ["c"] },
    { ip: "192.0.2.1", c2_endpoints: ["c"] },
  ];
  const forward = clusterObservations(observations);
  const backward = clusterObservations([...observations].reverse());
  assert.deepEqual(
    backward.identities,
    forward.identities.map((i) => ({
      ...i,
      observations: i.observations.map((k) => observations.length - 1 - k).sort((x, y) => x - y),
    })),
  );
  assert.deepEqual(backward.campaigns, forward.campaigns);
  assert.deepEqual(backward.assignments, [...forward.assignments].reverse());
});
