import type { SwarmHostRow, SwarmHostsRepository } from "../db/mod.ts";
import { parseSwarmHostName } from "./swarm_host_name.ts";
import { signAuthorityJwts } from "./sign_authority_jwts.ts";
import type { AuthorityJwts } from "./sign_authority_jwts.ts";
import type { SwarmAuthority } from "./swarm_authority.ts";

/** Options for {@linkcode revokeSwarmHost}. */
export interface RevokeSwarmHostOptions {
  /** Sends the re-signed account JWT to nats-server (pushAccountJwt). */
  push: (accountJwt: string, jwts: AuthorityJwts) => Promise<void>;
}

/** What {@linkcode revokeSwarmHost} did. */
export interface RevokeSwarmHostResult {
  row: SwarmHostRow;
  /** False when the host was revoked before (the update is pushed again all the same). */
  newlyRevoked: boolean;
  /** Set when nats-server could not be told: the revocation is stored but not yet in force. */
  pushError?: string;
}

/**
 * Revokes host `name`: marks it in the database, re-signs the decnet
 * account JWT with every revoked host's key on its revocation list, and
 * pushes it to nats-server, which closes the agent's connections at once
 * and refuses its credentials from then on. Running it again re-pushes
 * (after nats-server was unreachable).
 *
 * @throws {SyntaxError} for a bad name; {Error} when no such host exists
 * @example
 * ```ts
 * import type { SwarmHostsRepository } from "../db/mod.ts";
 * import type { SwarmAuthority } from "./swarm_authority.ts";
 * import { revokeSwarmHost } from "./revoke_swarm_host.ts";
 * declare const hosts: SwarmHostsRepository;
 * declare const authority: SwarmAuthority;
 * const result = await revokeSwarmHost(hosts, authority, "dmz-1", { push: async () => {} });
 * ```
 */
export async function revokeSwarmHost(
  hosts: SwarmHostsRepository,
  authority: SwarmAuthority,
  name: string,
  options: RevokeSwarmHostOptions,
): Promise<RevokeSwarmHostResult> {
  parseSwarmHostName(name);
  const newlyRevoked = await hosts.revoke(name);
  const row = await hosts.get(name);
  if (!row) throw new Error(`Cannot revoke ${name}: no such swarm host (see decnet swarm hosts)`);
  const revocations = await hosts.revocations();
  // A JWT's iat is whole seconds, and nats-server lets a preloaded account JWT (the config
  // rendered before) replace a stored one unless the stored one is strictly newer: sign in a
  // later second than anything signed before this call, or a restart can undo the revocation.
  await new Promise((resolve) => setTimeout(resolve, 1001 - (Date.now() % 1000)));
  const jwts = await signAuthorityJwts(authority, { revocations });
  try {
    await options.push(jwts.account, jwts);
    return { row, newlyRevoked };
  } catch (e) {
    return { row, newlyRevoked, pushError: e instanceof Error ? e.message : String(e) };
  }
}
