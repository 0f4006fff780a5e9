/**
 * Swarm commands benchmark: the master's request-reply round trip to an agent
 * over TLS on loopback, through requestAgentCommand and serveAgentCommands
 * (both sides validate every field). The command is a `file` write refused
 * by the agent for a decky it does not run, so the figure is the protocol's
 * cost, not Docker's: sequential round trips, then 16 in flight (the agent
 * runs commands one at a time).
 *
 *   deno run -A tests/bench/swarm_commands_bench.ts
 */
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import { openDocker } from "../../core/docker/mod.ts";
import { agentCommandHandlers, agentFleetRows, StateFile } from "../../core/fleet/mod.ts";
import { Logger, printLine } from "../../core/log/mod.ts";
import {
  agentSubjects,
  connectSwarmNats,
  requestAgentCommand,
  serveAgentCommands,
  SwarmCommandError,
} from "../../core/swarm/mod.ts";
import { natsUnavailable } from "../infra/nats.ts";
import { startSwarmNats } from "../infra/swarm_nats.ts";
import { enrollAndJoin } from "../integration/swarm/_enrolled_agent.ts";

const SEQUENTIAL = 1_000;
const CONCURRENT = 2_000;
const IN_FLIGHT = 16;
const quiet = new Logger({ level: "error", sink: () => {} });
const ARGS = {
  op: "write" as const,
  decky: "web-z",
  container: "web-z",
  path: "/tmp/x",
  bytes: "aGk=",
  mtime: "2026-11-20T08:00:00.000Z",
};

async function once(master: Parameters<typeof requestAgentCommand>[0]): Promise<number> {
  const start = performance.now();
  try {
    await requestAgentCommand(master, "alpha", "file", ARGS);
    throw new Error("the agent carried out a command for a decky it does not run");
  } catch (e) {
    if (!(e instanceof SwarmCommandError) || e.failure !== "refused") throw e;
  }
  return performance.now() - start;
}

if (natsUnavailable()) {
  printLine(`skipped: ${natsUnavailable()}`);
} else {
  await using nats = await startSwarmNats();
  const dir = await Deno.makeTempDir();
  await using handle = await openMigratedDatabase(`sqlite:${dir}/bench.db`);
  const { creds } = await enrollAndJoin(createRepositories(handle).swarmHosts, nats.home, "alpha");
  const connect = (c: string, inboxPrefix?: string) =>
    connectSwarmNats({ url: nats.url, caFile: nats.caFile, creds: c, inboxPrefix });
  const master = await connect(nats.jwts.masterUserCreds);
  const agent = await connect(creds, agentSubjects("alpha").inboxPrefix);
  await using docker = openDocker({ dockerHost: `unix://${dir}/absent.sock` });
  const now = () => new Date();
  const context = {
    hostUuid: "alpha",
    docker,
    fleet: agentFleetRows(now),
    stateFile: new StateFile(dir, "alpha"),
    log: quiet,
    now,
  };
  const server = serveAgentCommands(
    agent,
    "alpha",
    agentCommandHandlers(context, { name: "alpha" }),
    { log: quiet },
  );
  await agent.flush();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) times.push(await once(master));
  const sequentialMs = performance.now() - start;
  let next = 0;
  const concurrentStart = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next++ < CONCURRENT) await once(master);
  }));
  const concurrentMs = performance.now() - concurrentStart;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  printLine(`swarm commands, master -> agent over TLS on loopback (refused file command)`);
  printLine(
    `  sequential ${SEQUENTIAL}        ${
      Math.round(SEQUENTIAL / (sequentialMs / 1000))
    } commands/s, p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms`,
  );
  printLine(
    `  ${IN_FLIGHT} in flight, ${CONCURRENT}   ${
      Math.round(CONCURRENT / (concurrentMs / 1000))
    } commands/s`,
  );
  printLine(`  load average          ${Deno.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  await server.close();
  await agent.close();
  await master.close();
  await Deno.remove(dir, { recursive: true });
}
