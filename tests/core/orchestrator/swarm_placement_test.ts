import assert from "node:assert/strict";
import type { RunningDecky } from "../../../core/db/mod.ts";
import { agentDeckyOps, placeDeckies, sameHostPeers } from "../../../core/orchestrator/mod.ts";
import { SwarmCommandError } from "../../../core/swarm/mod.ts";
import { REALISM_SETTINGS_KEY } from "../../../realism/mod.ts";
import { makeHarness } from "./_harness.ts";

const NOW = new Date("2026-12-01T10:00:00Z");

function decky(name: string, hostUuid: string): RunningDecky {
  return {
    uuid: `uuid-${name}`,
    name,
    source: "fleet",
    hostUuid,
    services: ["ssh"],
    ip: "192.0.2.10",
    osPersona: null,
  };
}

const HOSTS = [
  { name: "alpha", joined: true, revoked: false },
  { name: "bravo", joined: true, revoked: false },
  { name: "gone", joined: true, revoked: true },
  { name: "fresh", joined: false, revoked: false },
];

Deno.test("placeDeckies() sends a swarm host's deckies to its agent and the rest here", () => {
  const deckies = [decky("m-1", "local-uuid"), decky("a-1", "alpha"), decky("b-1", "bravo")];
  const { placed, skipped } = placeDeckies(deckies, {
    hosts: HOSTS,
    canCommand: true,
    resting: new Map(),
    now: NOW,
  });
  assert.deepEqual(placed.map((p) => [p.decky.name, p.host]), [
    ["m-1", null],
    ["a-1", "alpha"],
    ["b-1", "bravo"],
  ]);
  assert.deepEqual(skipped, []);
});

Deno.test("placeDeckies() leaves out the deckies of hosts it cannot command, naming why", async (t) => {
  const deckies = [
    decky("m-1", "local-uuid"),
    decky("a-1", "alpha"),
    decky("a-2", "alpha"),
    decky("g-1", "gone"),
    decky("f-1", "fresh"),
  ];
  await t.step("revoked and not joined hosts", () => {
    const { placed, skipped } = placeDeckies(deckies, {
      hosts: HOSTS,
      canCommand: true,
      resting: new Map(),
      now: NOW,
    });
    assert.deepEqual(placed.map((p) => p.decky.name), ["m-1", "a-1", "a-2"]);
    assert.deepEqual(skipped, [
      { host: "gone", reason: "revoked", deckies: ["g-1"] },
      { host: "fresh", reason: "not joined", deckies: ["f-1"] },
    ]);
  });
  await t.step("a resting host until its rest is over, then again", () => {
    const resting = new Map([["alpha", new Date("2026-12-01T10:01:00Z")]]);
    const during = placeDeckies(deckies, { hosts: HOSTS, canCommand: true, resting, now: NOW });
    assert.deepEqual(during.placed.map((p) => p.decky.name), ["m-1"]);
    assert.deepEqual(during.skipped[0], {
      host: "alpha",
      reason: "no answer lately; left alone until 2026-12-01T10:01:00.000Z",
      deckies: ["a-1", "a-2"],
    });
    const after = placeDeckies(deckies, {
      hosts: HOSTS,
      canCommand: true,
      resting,
      now: new Date("2026-12-01T10:01:00Z"),
    });
    assert.deepEqual(after.placed.map((p) => [p.decky.name, p.host]), [
      ["m-1", null],
      ["a-1", "alpha"],
      ["a-2", "alpha"],
    ]);
  });
  await t.step("no swarm connection: every swarm host's deckies", () => {
    const { placed, skipped } = placeDeckies(deckies, {
      hosts: HOSTS,
      canCommand: false,
      resting: new Map(),
      now: NOW,
    });
    assert.deepEqual(placed.map((p) => p.decky.name), ["m-1"]);
    assert.match(skipped.find((s) => s.host === "alpha")!.reason, /no swarm connection/);
  });
});

Deno.test("sameHostPeers() pairs a decky only with deckies of its own host", () => {
  const deckies = [
    decky("m-1", "local"),
    decky("m-2", "local"),
    decky("a-1", "alpha"),
    decky("a-2", "alpha"),
    decky("b-1", "bravo"),
  ];
  const hostOf = (d: RunningDecky) => d.hostUuid === "local" ? null : d.hostUuid;
  const names = (src: RunningDecky) => sameHostPeers(src, deckies, hostOf).map((d) => d.name);
  assert.deepEqual(names(deckies[0]), ["m-2"]);
  assert.deepEqual(names(deckies[2]), ["a-2"]);
  assert.deepEqual(names(deckies[4]), []);
});

Deno.test("agentDeckyOps() reports an agent that does not answer and names the host", async (t) => {
  const unreachable: string[] = [];
  const failing = (failure: "offline" | "timeout" | "refused") =>
    agentDeckyOps(
      (host, verb) => Promise.reject(new SwarmCommandError(host, verb, failure, `went ${failure}`)),
      { host: "alpha", decky: "a-1", onUnreachable: (h) => unreachable.push(h) },
    );
  await t.step("offline and timeout make the host rest", async () => {
    await assert.rejects(
      failing("offline").appendLog("a-1-ssh", { path: "/var/log/x", bytes: new Uint8Array() }),
      /Cannot file on swarm host alpha: went offline/,
    );
    await assert.rejects(failing("timeout").survey("a-1-ssh"), /swarm host alpha/);
    assert.deepEqual(unreachable, ["alpha", "alpha"]);
  });
  await t.step("the agent's own refusal does not", async () => {
    await assert.rejects(
      failing("refused").deliverMail("a-1-ssh", {
        login: "ann",
        sender: "bob@example.com",
        bytes: new Uint8Array(),
      }),
      /Cannot mail on swarm host alpha: went refused/,
    );
    assert.equal(unreachable.length, 2);
  });
  await t.step("a reply of the wrong shape is refused naming the field and host", async () => {
    const ops = agentDeckyOps(() => Promise.resolve({ ok: "yes" }), {
      host: "alpha",
      decky: "a-1",
    });
    await assert.rejects(
      ops.appendHistory("a-1-ssh", { login: "ann", lines: ["ls"] }),
      /Bad file reply from swarm host alpha: ok: /,
    );
  });
  await t.step("commands carry the decky, container and snake_case arguments", async () => {
    const sent: unknown[] = [];
    const ops = agentDeckyOps((_h, verb, args) => {
      sent.push([verb, args]);
      return Promise.resolve({ ok: true, exit_code: 0, stderr: "", installed: true });
    }, { host: "alpha", decky: "a-1" });
    const r = await ops.installCronJob("a-1-ssh", {
      login: "ann",
      relPath: "bin/sync.sh",
      script: "#!/bin/sh\n",
      line: "*/5 * * * * $HOME/bin/sync.sh",
    });
    assert.deepEqual(r, { ok: true, exitCode: 0, stderr: "", installed: true });
    assert.deepEqual(sent, [["file", {
      op: "cron",
      decky: "a-1",
      container: "a-1-ssh",
      login: "ann",
      rel_path: "bin/sync.sh",
      script: "#!/bin/sh\n",
      line: "*/5 * * * * $HOME/bin/sync.sh",
    }]]);
  });
});

Deno.test("Orchestrator.tick() waits on a silent swarm host once, then leaves it alone and names it", async () => {
  const calls: string[] = [];
  await using h = await makeHarness({
    agents: (host, verb) => {
      calls.push(`${host} ${verb}`);
      return Promise.reject(
        new SwarmCommandError(host, verb, "timeout", "no reply within 25000 ms"),
      );
    },
  });
  await h.repos.swarmHosts.enroll({
    name: "alpha",
    tokenHash: "0".repeat(64),
    expiresAt: new Date("2099-01-01T00:00:00.000Z"),
  });
  await h.repos.swarmHosts.redeem({
    name: "alpha",
    tokenHash: "0".repeat(64),
    publicKey: "UA",
    version: "t",
  });
  for (const [name, ip] of [["a-1", "192.0.2.21"], ["a-2", "192.0.2.22"], ["a-3", "192.0.2.23"]]) {
    await h.repos.fleet.upsert({
      hostUuid: "alpha",
      name,
      ip,
      services: ["ssh"],
      images: {},
      network: "decoys",
      networkDriver: "bridge",
      osPersona: "linux",
    }, "running");
  }
  await h.repos.settings.put(REALISM_SETTINGS_KEY, {
    action_weights: { traffic: 1, file: 0, email: 0 },
  });
  const first = await h.orchestrator.tick();
  // Three deckies to survey, one wait: the others fail at once.
  assert.deepEqual(calls, ["alpha survey"]);
  assert.deepEqual(first.skipped, []);
  h.clock.now = new Date(h.clock.now.getTime() + 1000);
  const second = await h.orchestrator.tick();
  assert.deepEqual(calls, ["alpha survey"]);
  assert.equal(second.skipped[0]?.host, "alpha");
  assert.deepEqual(second.skipped[0]?.deckies, ["a-1", "a-2", "a-3"]);
});
