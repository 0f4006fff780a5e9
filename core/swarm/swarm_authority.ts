import { createAccount, createOperator, createUser, fromSeed } from "@nats-io/nkeys";

/**
 * The master's NATS trust chain, as nkey seeds (JWTs are signed from them
 * when needed): an operator with a signing key, the system account (and a
 * user of it, to push account updates to nats-server), the `decnet` account
 * with a signing key (it signs every agent's user JWT) and the master's own
 * user. Secret: kept 0600 under DECNET_HOME, never logged.
 */
export interface SwarmAuthority {
  operatorSeed: string;
  operatorSigningSeed: string;
  systemAccountSeed: string;
  systemUserSeed: string;
  accountSeed: string;
  accountSigningSeed: string;
  masterUserSeed: string;
}

/** What the API needs to sign agents' users: the account's id and its signing key only. */
export interface SwarmIssuer {
  accountPublicKey: string;
  accountSigningSeed: string;
}

const FIELDS = [
  ["operatorSeed", "SO"],
  ["operatorSigningSeed", "SO"],
  ["systemAccountSeed", "SA"],
  ["systemUserSeed", "SU"],
  ["accountSeed", "SA"],
  ["accountSigningSeed", "SA"],
  ["masterUserSeed", "SU"],
] as const satisfies readonly (readonly [keyof SwarmAuthority, string])[];

/**
 * Creates a fresh trust chain (new random keys).
 *
 * @example
 * ```ts
 * import { createSwarmAuthority } from "./swarm_authority.ts";
 * const authority = createSwarmAuthority();
 * ```
 */
export function createSwarmAuthority(): SwarmAuthority {
  const seed = (kp: { getSeed(): Uint8Array }) => new TextDecoder().decode(kp.getSeed());
  return {
    operatorSeed: seed(createOperator()),
    operatorSigningSeed: seed(createOperator()),
    systemAccountSeed: seed(createAccount()),
    systemUserSeed: seed(createUser()),
    accountSeed: seed(createAccount()),
    accountSigningSeed: seed(createAccount()),
    masterUserSeed: seed(createUser()),
  };
}

/**
 * Checks a stored authority: every field present and a seed of the right kind.
 *
 * @throws {SyntaxError} naming the bad field (never its value: it is a secret)
 */
export function parseSwarmAuthority(value: unknown): SwarmAuthority {
  if (value === null || typeof value !== "object") {
    throw new SyntaxError("Bad swarm authority: expected a JSON object");
  }
  const record = value as Record<string, unknown>;
  const out: Partial<SwarmAuthority> = {};
  for (const [field, prefix] of FIELDS) {
    const raw = record[field];
    if (typeof raw !== "string" || !raw.startsWith(prefix) || !validSeed(raw)) {
      throw new SyntaxError(`Bad swarm authority: ${field} is not an nkey seed starting ${prefix}`);
    }
    out[field] = raw;
  }
  return out as SwarmAuthority;
}

/** The part of `authority` the API may hold. */
export function swarmIssuerOf(authority: SwarmAuthority): SwarmIssuer {
  return {
    accountPublicKey: publicKeyOf(authority.accountSeed),
    accountSigningSeed: authority.accountSigningSeed,
  };
}

/** The public key (`O…`, `A…`, `U…`) of an nkey seed. */
export function publicKeyOf(seed: string): string {
  return fromSeed(new TextEncoder().encode(seed)).getPublicKey();
}

function validSeed(seed: string): boolean {
  try {
    fromSeed(new TextEncoder().encode(seed));
    return true;
  } catch {
    return false;
  }
}
