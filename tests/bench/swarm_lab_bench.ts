/**
 * Swarm lab benchmark (issue 22), through the real product in network namespaces
 * (tests/infra/swarm_lab.ts): `decnet up` as master (MariaDB, nats-server with TLS and
 * JetStream) and as two agents. Canary calls on the agents' listeners (curl from each
 * agent's namespace, 4 processes per agent) are journaled there, sent over JetStream and
 * stored by the master; the figures are read from the master's API.
 *
 * 1. End to end: each agent answers PER_AGENT calls at once; events stored per second from
 *    the first call to the last row on the master.
 * 2. Catch-up: alpha's link is down for 60 s while it answers BUFFERED calls; the time from
 *    the link coming back to the last of them stored on the master.
 *
 *   deno run -A tests/bench/swarm_lab_bench.ts [PER_AGENT] [BUFFERED]
 */
import { printLine } from "../../core/log/mod.ts";
import { signInAdmin } from "../infra/sign_in_admin.ts";
import {
  startSwarmLab,
  SWARM_LAB_ADMIN_PASSWORD,
  type SwarmLabAgent,
  swarmLabUnavailable,
} from "../infra/swarm_lab.ts";
import {
  callLabToken,
  issueLabToken,
  labTokenTriggerCount,
  type SwarmLabToken,
} from "../infra/swarm_lab_canary.ts";
import { joinSwarmLab } from "../infra/swarm_lab_join.ts";
import { waitUntil } from "../infra/wait_until.ts";

const PER_AGENT = Number(Deno.args[0] ?? 10_000);
const BUFFERED = Number(Deno.args[1] ?? 100_000);
const CURLS = 4;
const PARTITION_MS = 60_000;

/** `count` calls from `from` on, split over {@linkcode CURLS} curl processes. */
async function callMany(agent: SwarmLabAgent, token: SwarmLabToken, from: number, count: number) {
  const share = Math.ceil(count / CURLS);
  const codes = await Promise.all(
    Array.from({ length: CURLS }, (_, i) => {
      const start = from + i * share;
      return callLabToken(agent, token, start, Math.min(share, from + count - start));
    }),
  );
  if (codes.some((c) => c !== 0)) throw new Error(`curl failed on ${agent.name}: ${codes}`);
}

const load = () => Deno.loadavg().map((l) => l.toFixed(1)).join(" ");

if (swarmLabUnavailable()) {
  printLine(`skipped: ${swarmLabUnavailable()}`);
} else {
  await using lab = await startSwarmLab(["alpha", "bravo"]);
  const [alpha, bravo] = lab.agents;
  await using master = lab.master.spawn(["up"], {
    DECNET_CANARY_TRIGGER_RATE: "0",
    DECNET_CANARY_TRIGGER_CAP: "0",
    DECNET_LOG_LEVEL: "error",
  });
  await master.waitForLine(/listening on https:/, 120_000);
  await joinSwarmLab(lab);
  await using _alphaUp = alpha.spawn(["up"], { DECNET_LOG_LEVEL: "error" });
  await using _bravoUp = bravo.spawn(["up"], { DECNET_LOG_LEVEL: "error" });
  using client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(lab.certs.caFile)] });
  const admin = await signInAdmin(lab.master.apiUrlFromTest, SWARM_LAB_ADMIN_PASSWORD, { client });
  // Both tokens reach the agents in one list: once the first one's calls are stored, the
  // measured token is known everywhere and has no trigger yet.
  const warmUp = await issueLabToken(admin);
  const token = await issueLabToken(admin);
  const count = () => labTokenTriggerCount(admin, token.uuid);
  for (const agent of lab.agents) {
    await waitUntil(async () => {
      await callLabToken(agent, warmUp, 0, 1);
      const { items } = await admin.get<{ items: { src_ip: string }[] }>(
        `/api/v1/canary/tokens/${warmUp.uuid}/triggers`,
      );
      return items.some((i) => i.src_ip === agent.address);
    }, { what: `${agent.name}'s calls on the master`, timeoutMs: 120_000, intervalMs: 1000 });
  }
  let expected = 0;

  printLine(`swarm lab: decnet up as master (MariaDB) and 2 agents in network namespaces`);
  const start = performance.now();
  await Promise.all([callMany(alpha, token, 0, PER_AGENT), callMany(bravo, token, 0, PER_AGENT)]);
  const answered = performance.now();
  expected += 2 * PER_AGENT;
  await waitUntil(async () => await count() >= expected, {
    what: "every call stored",
    timeoutMs: 1_800_000,
    intervalMs: 250,
  });
  const stored = performance.now();
  const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en");
  printLine(`  2 x ${PER_AGENT} canary calls at once`);
  printLine(
    `    answered by the agents' listeners  ${
      rate(2 * PER_AGENT, answered - start).padStart(7)
    } calls/s`,
  );
  printLine(
    `    stored by the master, end to end   ${
      rate(2 * PER_AGENT, stored - start).padStart(7)
    } events/s`,
  );
  printLine(`    load average                       ${load()}`);

  await alpha.setLinkUp(false);
  const cut = performance.now();
  await callMany(alpha, token, PER_AGENT, BUFFERED);
  const buffered = performance.now();
  expected += BUFFERED;
  // The partition lasts its full 60 s whatever the calls took.
  await new Promise((r) => setTimeout(r, Math.max(0, PARTITION_MS - (buffered - cut))));
  const before = await count();
  await alpha.setLinkUp(true);
  const healed = performance.now();
  await waitUntil(async () => await count() >= expected, {
    what: "every buffered call stored",
    timeoutMs: 3_600_000,
    intervalMs: 250,
  });
  const caught = performance.now();
  printLine(
    `  alpha partitioned ${
      ((healed - cut) / 1000).toFixed(0)
    } s with ${BUFFERED} calls answered meanwhile`,
  );
  printLine(
    `    answered while cut off             ${rate(BUFFERED, buffered - cut).padStart(7)} calls/s`,
  );
  printLine(
    `    stored on the master while cut     ${
      (before - (expected - BUFFERED)).toString().padStart(7)
    }`,
  );
  printLine(
    `    catch-up after the link is back    ${
      ((caught - healed) / 1000).toFixed(1).padStart(7)
    } s (${rate(BUFFERED, caught - healed)} events/s)`,
  );
  printLine(`    load average                       ${load()}`);
  printLine(`    stored in all ${await count()} of ${expected}`);
}
