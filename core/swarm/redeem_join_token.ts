import type { SwarmHostRow, SwarmHostsRepository } from "../db/mod.ts";
import { hashJoinSecret, parseJoinToken } from "./join_token.ts";
import { signAgentUser } from "./sign_agent_user.ts";
import type { SwarmIssuer } from "./swarm_authority.ts";

/** Why a join was refused; `status` is the HTTP status the API answers with. */
export class JoinRefusedError extends Error {
  readonly status: 401 | 403 | 410;

  constructor(status: 401 | 403 | 410, message: string) {
    super(message);
    this.name = "JoinRefusedError";
    this.status = status;
  }
}

/** What an agent sends to join. */
export interface JoinRequest {
  token: string;
  /** The agent's own nkey user public key (its seed stays on the agent). */
  publicKey: string;
  /** The agent's decnet version. */
  version: string | null;
}

/**
 * The master's side of `decnet agent join`: spends the join token (once,
 * unexpired, host not revoked) and signs the agent's user JWT for the key
 * it sent.
 *
 * @throws {SyntaxError} when the token or key is malformed (a 400);
 *   {JoinRefusedError} when the token is unknown, spent, expired or the host revoked
 * @example
 * ```ts
 * import type { SwarmHostsRepository } from "../db/mod.ts";
 * import type { SwarmIssuer } from "./swarm_authority.ts";
 * import { redeemJoinToken } from "./redeem_join_token.ts";
 * declare const hosts: SwarmHostsRepository;
 * declare const issuer: SwarmIssuer;
 * declare const token: string;
 * declare const publicKey: string;
 * const { row, userJwt } = await redeemJoinToken(hosts, issuer, { token, publicKey, version: null }, new Date());
 * ```
 */
export async function redeemJoinToken(
  hosts: SwarmHostsRepository,
  issuer: SwarmIssuer,
  request: JoinRequest,
  now: Date,
): Promise<{ row: SwarmHostRow; userJwt: string }> {
  const { name, secret } = parseJoinToken(request.token);
  const tokenHash = await hashJoinSecret(secret);
  // Signed first (it also checks the key), so a spent token always yields credentials.
  const userJwt = await signAgentUser(issuer, { name, publicKey: request.publicKey });
  const row = await hosts.redeem({
    name,
    tokenHash,
    publicKey: request.publicKey,
    version: request.version,
  });
  if (row) return { row, userJwt };
  const host = await hosts.get(name);
  if (!host || host.join_token_hash !== tokenHash) {
    throw new JoinRefusedError(401, "Join token refused: it is not valid");
  }
  if (host.revoked_at) throw new JoinRefusedError(403, `Join refused: host ${name} is revoked`);
  if (host.enrolled_at) {
    throw new JoinRefusedError(410, "Join token refused: it has been used already");
  }
  if (host.join_expires_at !== null && host.join_expires_at <= now.toISOString()) {
    throw new JoinRefusedError(410, `Join token refused: it expired at ${host.join_expires_at}`);
  }
  throw new JoinRefusedError(410, "Join token refused: it has been used already");
}
