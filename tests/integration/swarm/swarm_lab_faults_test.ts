// Issue #22's faults in network namespaces (tests/infra/swarm_lab.ts), through `decnet up` as
// master and as agent: canary calls on the agent's listener go on while nats-server is
// killed for 30 s, and while the agent's link is down for 60 s; each time every call ends up
// on the master exactly once. (The 100k-event catch-up and its time are in
// tests/bench/swarm_lab_bench.ts.)
import assert from "node:assert/strict";
import { signInAdmin } from "../../infra/sign_in_admin.ts";
import {
  startSwarmLab,
  SWARM_LAB_ADMIN_PASSWORD,
  swarmLabUnavailable,
} from "../../infra/swarm_lab.ts";
import { callLabToken, issueLabToken, labTokenCalls } from "../../infra/swarm_lab_canary.ts";
import { joinSwarmLab } from "../../infra/swarm_lab_join.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const unavailable = swarmLabUnavailable();
/** Warm-up calls are numbered from here, apart from the counted ones. */
const WARM_UP = 1_000_000;
const ROUND = 100;

/** 0, 1, ..., n - 1. */
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

Deno.test({
  name: `swarm lab: nothing is lost or stored twice when nats-server is killed for 30 s or ` +
    `the agent's link is down for 60 s under canary calls${
      unavailable ? ` (skipped: ${unavailable})` : ""
    }`,
  ignore: unavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await using lab = await startSwarmLab(["alpha"]);
    const [alpha] = lab.agents;
    // Every call is a trigger row of its own (no per-source rollup), so each is counted.
    await using master = lab.master.spawn(["up"], {
      DECNET_CANARY_TRIGGER_RATE: "0",
      DECNET_CANARY_TRIGGER_CAP: "0",
    });
    await master.waitForLine(/listening on https:/, 90_000);
    await joinSwarmLab(lab);
    await using _alphaUp = alpha.spawn(["up"]);
    using client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(lab.certs.caFile)] });
    const admin = await signInAdmin(lab.master.apiUrlFromTest, SWARM_LAB_ADMIN_PASSWORD, {
      client,
    });
    const token = await issueLabToken(admin);
    const counted = async () =>
      (await labTokenCalls(admin, token.uuid)).filter((n) => n < WARM_UP).sort((a, b) => a - b);
    let warmUp = WARM_UP;
    await waitUntil(async () => {
      await callLabToken(alpha, token, warmUp++, 1);
      return (await labTokenCalls(admin, token.uuid)).length > 0;
    }, {
      what: "the agent knowing the token and its calls reaching the master",
      timeoutMs: 60_000,
    });

    let sent = 0;
    const call = async (count: number) => {
      assert.equal(await callLabToken(alpha, token, sent, count), 0, "the listener answered");
      sent += count;
    };
    /** Calls in rounds for `ms` (at most `rounds` rounds), then waits out the rest of `ms`. */
    const callFor = async (ms: number, rounds: number) => {
      const end = Date.now() + ms;
      for (let r = 0; r < rounds && Date.now() < end; r++) await call(ROUND);
      // The outage lasts its full time whatever the load took.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now())));
    };
    const allArrive = () =>
      waitUntil(async () => (await counted()).length >= sent, {
        what: `all ${sent} calls on the master`,
        timeoutMs: 180_000,
        intervalMs: 1000,
      });

    await t.step("nats-server killed for 30 s under load, then restarted", async () => {
      await call(3 * ROUND);
      await lab.nats.kill();
      await callFor(30_000, 10);
      await lab.nats.restart();
      await call(2 * ROUND);
      await allArrive();
      assert.deepEqual(await counted(), upTo(sent), "every call once");
    });

    await t.step("the agent partitioned for 60 s keeps answering and catches up", async () => {
      const before = sent;
      await alpha.setLinkUp(false);
      try {
        await callFor(60_000, 10);
        // Nothing crossed the cut link.
        assert.equal((await counted()).length, before);
      } finally {
        await alpha.setLinkUp(true);
      }
      await allArrive();
      assert.deepEqual(await counted(), upTo(sent), "every call once");
    });
  },
});
