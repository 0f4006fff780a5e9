import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/transport-node";
import { writeActiveTokens } from "../../../core/journal/mod.ts";
import { AgentActiveTokens } from "../../../core/swarm/agent_active_tokens.ts";

const A = { uuid: "7d3c2f0e-0000-4000-8000-000000000001", slug: "Ab3dEf6hIj9kLm2nOp5qRs" };
const B = { uuid: "7d3c2f0e-0000-4000-8000-000000000002", slug: "Zz3dEf6hIj9kLm2nOp5qRs" };

/** A connection whose requests get `answer()`: a reply body, or a thrown error. */
function natsAnswering(answer: () => string): { nc: NatsConnection; subjects: string[] } {
  const subjects: string[] = [];
  const nc = {
    request: (subject: string) => {
      subjects.push(subject);
      try {
        const body = answer();
        return Promise.resolve({ string: () => body });
      } catch (e) {
        return Promise.reject(e);
      }
    },
  } as unknown as NatsConnection;
  return { nc, subjects };
}

Deno.test("AgentActiveTokens.activeTokens() asks the master on the agent's own subject and keeps its last answer while it is away", async () => {
  const dir = await Deno.makeTempDir();
  let master: () => string = () => JSON.stringify({ tokens: [A, B] });
  const { nc, subjects } = natsAnswering(() => master());
  const tokens = new AgentActiveTokens(nc, { host: "alpha", tokensFile: `${dir}/none.json` });
  assert.deepEqual(await tokens.activeTokens(), [A, B]);
  assert.deepEqual(subjects, ["decnet.agent.alpha.tokens"]);
  master = () => {
    throw new Error("TIMEOUT");
  };
  assert.deepEqual(await tokens.activeTokens(), [A, B]);
  // A malformed answer is not taken either.
  master = () => JSON.stringify({ tokens: [{ uuid: "x" }] });
  assert.deepEqual(await tokens.activeTokens(), [A, B]);
  master = () => JSON.stringify({ tokens: [B] });
  assert.deepEqual(await tokens.activeTokens(), [B]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("AgentActiveTokens.activeTokens() after a restart with the master away: the listeners' snapshot, else an error", async () => {
  const dir = await Deno.makeTempDir();
  const { nc } = natsAnswering(() => {
    throw new Error("no responders");
  });
  const fresh = new AgentActiveTokens(nc, { host: "alpha", tokensFile: `${dir}/tokens.json` });
  await assert.rejects(
    fresh.activeTokens(),
    /Cannot get the active tokens from the master: no responders/,
  );
  await writeActiveTokens(`${dir}/tokens.json`, [A]);
  assert.deepEqual(await fresh.activeTokens(), [A]);
  await Deno.remove(dir, { recursive: true });
});
