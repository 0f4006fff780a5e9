import type { SwarmHostRow, SwarmHostsRepository } from "../db/mod.ts";
import { hashJoinSecret, mintJoinToken } from "./join_token.ts";
import { parseSwarmHostName } from "./swarm_host_name.ts";

/** Default life of a join token: one hour. */
export const DEFAULT_JOIN_TTL_SECONDS = 3600;
/** Longest life of a join token: seven days. */
export const MAX_JOIN_TTL_SECONDS = 7 * 24 * 3600;

/** A host that cannot be enrolled as asked (already joined, or revoked). */
export class SwarmEnrollError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SwarmEnrollError";
  }
}

/** Options for {@linkcode enrollSwarmHost}. */
export interface EnrollSwarmHostOptions {
  /** @default DEFAULT_JOIN_TTL_SECONDS */
  ttlSeconds?: number;
  now: Date;
  /** Fills a byte array with random bytes. */
  random: (bytes: Uint8Array) => Uint8Array;
}

/**
 * Enrolls host `name` on the master: mints a one-time join token, stores
 * only its hash and expiry, and returns the token (shown once). A host that
 * has not joined yet gets a new token (the old one stops working).
 *
 * @throws {SyntaxError} for a bad name; {RangeError} for a bad TTL;
 *   {SwarmEnrollError} when the host has joined already or was revoked
 * @example
 * ```ts
 * import type { SwarmHostsRepository } from "../db/mod.ts";
 * import { enrollSwarmHost } from "./enroll_swarm_host.ts";
 * declare const hosts: SwarmHostsRepository;
 * const { token, expiresAt } = await enrollSwarmHost(hosts, "dmz-1", {
 *   now: new Date(),
 *   random: (b) => crypto.getRandomValues(b),
 * });
 * ```
 */
export async function enrollSwarmHost(
  hosts: SwarmHostsRepository,
  name: string,
  options: EnrollSwarmHostOptions,
): Promise<{ token: string; expiresAt: Date; row: SwarmHostRow }> {
  parseSwarmHostName(name);
  const ttl = options.ttlSeconds ?? DEFAULT_JOIN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > MAX_JOIN_TTL_SECONDS) {
    throw new RangeError(
      `Bad join token TTL ${ttl}: expected 60-${MAX_JOIN_TTL_SECONDS} seconds`,
    );
  }
  const { token, secret } = mintJoinToken(name, options.random);
  const expiresAt = new Date(options.now.getTime() + ttl * 1000);
  const result = await hosts.enroll({ name, tokenHash: await hashJoinSecret(secret), expiresAt });
  if ("conflict" in result) {
    throw new SwarmEnrollError(
      result.conflict === "enrolled"
        ? `Cannot enroll ${name}: it has joined already (revoke it to stop it)`
        : `Cannot enroll ${name}: it was revoked; enroll the host under a new name`,
    );
  }
  return { token, expiresAt, row: result.row };
}
