import { parseSwarmHostName } from "./swarm_host_name.ts";

/** Bytes of randomness in a join token's secret. */
const SECRET_BYTES = 32;
const SECRET_REGEXP = /^[A-Za-z0-9_-]{43}$/;

/** A join token split into the host it enrolls and its secret. */
export interface JoinToken {
  name: string;
  secret: string;
}

/**
 * Mints a join token for host `name`: `<name>.<43 base64url characters>`.
 * Only the secret's hash (see {@linkcode hashJoinSecret}) is stored.
 *
 * @param random fills a byte array (crypto.getRandomValues in production)
 * @example
 * ```ts
 * import { mintJoinToken } from "./join_token.ts";
 * const { token, secret } = mintJoinToken("dmz-1", (b) => crypto.getRandomValues(b));
 * ```
 */
export function mintJoinToken(
  name: string,
  random: (bytes: Uint8Array) => Uint8Array,
): JoinToken & { token: string } {
  const secret = toBase64Url(random(new Uint8Array(SECRET_BYTES)));
  return { name, secret, token: `${name}.${secret}` };
}

/**
 * Splits a join token as printed by `decnet swarm enroll`.
 *
 * @throws {SyntaxError} when it is not `<name>.<secret>`
 * @example
 * ```ts
 * import { parseJoinToken } from "./join_token.ts";
 * parseJoinToken("dmz-1." + "A".repeat(43)).name; // "dmz-1"
 * ```
 */
export function parseJoinToken(raw: string): JoinToken {
  const dot = raw.indexOf(".");
  const name = dot < 0 ? "" : raw.slice(0, dot);
  const secret = dot < 0 ? "" : raw.slice(dot + 1);
  if (!SECRET_REGEXP.test(secret)) {
    throw new SyntaxError(
      "Bad join token: expected NAME.SECRET as printed by decnet swarm enroll",
    );
  }
  try {
    parseSwarmHostName(name);
  } catch {
    throw new SyntaxError(
      "Bad join token: expected NAME.SECRET as printed by decnet swarm enroll",
    );
  }
  return { name, secret };
}

/**
 * The stored form of a join token's secret: sha256, hex. The secret is 256
 * random bits, so a fast hash is enough (nothing to brute-force).
 *
 * @example
 * ```ts
 * import { hashJoinSecret } from "./join_token.ts";
 * const hash = await hashJoinSecret("A".repeat(43));
 * ```
 */
export async function hashJoinSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}
