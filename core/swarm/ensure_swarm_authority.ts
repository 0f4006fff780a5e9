import { createSwarmAuthority, parseSwarmAuthority, swarmIssuerOf } from "./swarm_authority.ts";
import type { SwarmAuthority, SwarmIssuer } from "./swarm_authority.ts";
import { swarmFiles } from "./swarm_files.ts";
import { writePrivateFile } from "./write_private_file.ts";

/**
 * The master's trust chain from `<home>/swarm/authority.json`, created (with
 * `issuer.json`, both 0600) the first time. Its keys never change after: the
 * nats-server configuration and every agent's credentials depend on them.
 *
 * @throws {SyntaxError} when the stored file is damaged
 * @example
 * ```ts
 * import { ensureSwarmAuthority } from "./ensure_swarm_authority.ts";
 * const { authority, created } = await ensureSwarmAuthority("/var/lib/decnet");
 * ```
 */
export async function ensureSwarmAuthority(
  home: string,
): Promise<{ authority: SwarmAuthority; created: boolean }> {
  const files = swarmFiles(home);
  try {
    const authority = parseSwarmAuthority(JSON.parse(await Deno.readTextFile(files.authority)));
    return { authority, created: false };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const authority = createSwarmAuthority();
  // The issuer first: a crash between the two leaves no authority, so the next run starts over.
  await writePrivateFile(files.issuer, JSON.stringify(issuerJson(swarmIssuerOf(authority))) + "\n");
  await writePrivateFile(files.authority, JSON.stringify(authority, null, 2) + "\n");
  return { authority, created: true };
}

/**
 * The account id and signing seed the API signs agents' users with, from
 * `<home>/swarm/issuer.json`; null before `decnet swarm` has created them.
 *
 * @throws {SyntaxError} when the file is damaged
 */
export async function readSwarmIssuer(home: string): Promise<SwarmIssuer | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(swarmFiles(home).issuer);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const raw = JSON.parse(text) as Record<string, unknown>;
  const account = raw.account_public_key;
  const seed = raw.account_signing_seed;
  if (
    typeof account !== "string" || !account.startsWith("A") || typeof seed !== "string" ||
    !seed.startsWith("SA")
  ) {
    throw new SyntaxError(`Bad ${swarmFiles(home).issuer}: expected the account and its seed`);
  }
  return { accountPublicKey: account, accountSigningSeed: seed };
}

function issuerJson(issuer: SwarmIssuer): Record<string, string> {
  return {
    account_public_key: issuer.accountPublicKey,
    account_signing_seed: issuer.accountSigningSeed,
  };
}
