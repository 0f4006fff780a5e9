import { encodeAccount, encodeOperator, encodeUser, fmtCreds } from "@nats-io/jwt";
import { fromSeed } from "@nats-io/nkeys";
import type { SwarmAuthority } from "./swarm_authority.ts";

/** The operator's name in its JWT (nats-server prints it at start). */
export const OPERATOR_NAME = "decnet";
/** The account every decnet client (master and agents) connects in. */
export const ACCOUNT_NAME = "decnet";
const SYSTEM_ACCOUNT_NAME = "SYS";

/** Signed JWTs of the trust chain, and the two users the master itself connects as. */
export interface AuthorityJwts {
  operator: string;
  systemAccountPublicKey: string;
  systemAccount: string;
  accountPublicKey: string;
  account: string;
  /** A system-account user's creds file (pushes account updates to nats-server). */
  systemUserCreds: string;
  /** The master's own creds file in the decnet account (every subject). */
  masterUserCreds: string;
}

/** Options for {@linkcode signAuthorityJwts}. */
export interface SignAuthorityOptions {
  /**
   * Users of the decnet account whose credentials no longer work: user
   * public key -> revocation time in seconds since the epoch (nats-server
   * refuses every JWT of that user issued at or before it).
   * @default {}
   */
  revocations?: Readonly<Record<string, number>>;
}

// "-1" is unlimited; a limit left out means zero, so every one is spelt out.
const NATS_LIMITS = { subs: -1, data: -1, payload: -1 };
const ACCOUNT_LIMITS = { imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 };
const JETSTREAM_LIMITS = { mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 };

/**
 * Signs the trust chain's JWTs: the operator (naming its signing key and the
 * system account), both accounts (signed by the operator's signing key; the
 * decnet account with JetStream and its revocation list) and the master's
 * two users. Run again after a revocation and push the new account JWT.
 *
 * @example
 * ```ts
 * import { createSwarmAuthority } from "./swarm_authority.ts";
 * import { signAuthorityJwts } from "./sign_authority_jwts.ts";
 * const jwts = await signAuthorityJwts(createSwarmAuthority());
 * ```
 */
export async function signAuthorityJwts(
  authority: SwarmAuthority,
  options: SignAuthorityOptions = {},
): Promise<AuthorityJwts> {
  const key = (seed: string) => fromSeed(new TextEncoder().encode(seed));
  const operator = key(authority.operatorSeed);
  const operatorSigner = key(authority.operatorSigningSeed);
  const system = key(authority.systemAccountSeed);
  const account = key(authority.accountSeed);
  const accountSigner = key(authority.accountSigningSeed);
  const systemUser = key(authority.systemUserSeed);
  const masterUser = key(authority.masterUserSeed);
  const creds = (jwt: string, kp: typeof systemUser) => new TextDecoder().decode(fmtCreds(jwt, kp));
  return {
    operator: await encodeOperator(OPERATOR_NAME, operator, {
      signing_keys: [operatorSigner.getPublicKey()],
      system_account: system.getPublicKey(),
    }),
    systemAccountPublicKey: system.getPublicKey(),
    systemAccount: await encodeAccount(SYSTEM_ACCOUNT_NAME, system, {
      limits: { ...NATS_LIMITS, ...ACCOUNT_LIMITS },
    }, { signer: operatorSigner }),
    accountPublicKey: account.getPublicKey(),
    account: await encodeAccount(ACCOUNT_NAME, account, {
      signing_keys: [accountSigner.getPublicKey()],
      limits: { ...NATS_LIMITS, ...ACCOUNT_LIMITS, ...JETSTREAM_LIMITS },
      revocations: { ...options.revocations },
    }, { signer: operatorSigner }),
    systemUserCreds: creds(await encodeUser("decnet-system", systemUser, system), systemUser),
    masterUserCreds: creds(
      await encodeUser("decnet-master", masterUser, account, {}, { signer: accountSigner }),
      masterUser,
    ),
  };
}
