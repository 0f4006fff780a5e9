import { encodeUser } from "@nats-io/jwt";
import { fromPublic, fromSeed } from "@nats-io/nkeys";
import type { SwarmIssuer } from "./swarm_authority.ts";
import { agentSubjects } from "./swarm_subjects.ts";

/** How long an agent may take to answer one command request. */
const REPLY_TTL_NS = 60_000_000_000;

/**
 * Signs agent `name`'s user JWT for the public key the agent generated (its
 * seed never leaves the agent). The JWT allows publishing only under
 * `decnet.agent.<name>.>` and answering requests sent to it, and subscribing
 * only to `decnet.cmd.<name>.>` and its own inboxes.
 *
 * @throws {SyntaxError} when `publicKey` is not an nkey user public key (`U…`)
 * @example
 * ```ts
 * import type { SwarmIssuer } from "./swarm_authority.ts";
 * import { signAgentUser } from "./sign_agent_user.ts";
 * declare const issuer: SwarmIssuer;
 * declare const publicKey: string;
 * const jwt = await signAgentUser(issuer, { name: "dmz-1", publicKey });
 * ```
 */
export async function signAgentUser(
  issuer: SwarmIssuer,
  agent: { name: string; publicKey: string },
): Promise<string> {
  const user = parseUserPublicKey(agent.publicKey);
  const subjects = agentSubjects(agent.name);
  const signer = fromSeed(new TextEncoder().encode(issuer.accountSigningSeed));
  return await encodeUser(
    `agent-${agent.name}`,
    user,
    fromPublic(issuer.accountPublicKey),
    {
      pub: { allow: [subjects.publish], deny: [] },
      sub: { allow: subjects.subscribe, deny: [] },
      // Replies to the master's requests go to its inbox, allowed once per request.
      resp: { max: 1, ttl: REPLY_TTL_NS },
      tags: [`decnet-agent:${agent.name}`],
    },
    { signer },
  );
}

/**
 * Checks an nkey user public key.
 *
 * @throws {SyntaxError} when it is not one
 */
export function parseUserPublicKey(raw: string): ReturnType<typeof fromPublic> {
  try {
    if (!/^U[A-Z2-7]{55}$/.test(raw)) throw new Error("shape");
    return fromPublic(raw);
  } catch {
    throw new SyntaxError(
      `Bad public key "${raw.slice(0, 60)}": expected an nkey user public key (56 characters, U…)`,
    );
  }
}
