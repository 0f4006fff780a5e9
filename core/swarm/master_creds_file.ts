import { parseSwarmAuthority } from "./swarm_authority.ts";
import { signAuthorityJwts } from "./sign_authority_jwts.ts";
import { swarmFiles } from "./swarm_files.ts";
import { writePrivateFile } from "./write_private_file.ts";

/**
 * Writes the master's NATS user credentials to `<home>/swarm/master.creds`
 * (0600), signed from the trust chain in `authority.json`, so the master's
 * workers read that file and never the chain's seeds. Run by
 * `decnet swarm nats-config` and by `decnet up` on a master before any
 * worker starts.
 *
 * @returns the file written
 * @throws {Deno.errors.NotFound} when there is no trust chain
 * @example
 * ```ts
 * import { writeMasterCreds } from "./master_creds_file.ts";
 * await writeMasterCreds("/var/lib/decnet"); // "/var/lib/decnet/swarm/master.creds"
 * ```
 */
export async function writeMasterCreds(home: string): Promise<string> {
  const files = swarmFiles(home);
  const authority = parseSwarmAuthority(JSON.parse(await Deno.readTextFile(files.authority)));
  const { masterUserCreds } = await signAuthorityJwts(authority);
  await writePrivateFile(files.masterCreds, masterUserCreds);
  return files.masterCreds;
}

/**
 * The master's NATS user credentials (see {@linkcode writeMasterCreds}), or
 * null where there are none (this host is no master).
 *
 * @example
 * ```ts
 * import { readMasterCreds } from "./master_creds_file.ts";
 * const creds = await readMasterCreds("/var/lib/decnet"); // null without a swarm
 * ```
 */
export async function readMasterCreds(home: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(swarmFiles(home).masterCreds);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}
