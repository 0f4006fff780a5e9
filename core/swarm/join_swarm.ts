import { fmtCreds } from "@nats-io/jwt";
import { createUser } from "@nats-io/nkeys";
import { swarmFiles } from "./swarm_files.ts";
import { SWARM_HOST_NAME_REGEXP } from "./swarm_host_name.ts";
import { parseSwarmNatsUrl } from "./swarm_nats_url.ts";
import { writePrivateFile } from "./write_private_file.ts";

/** The join endpoint under the master's API. */
export const JOIN_PATH = "/api/v1/swarm/join";

/** Options for {@linkcode joinSwarm}. */
export interface JoinSwarmOptions {
  /** The join token printed by `decnet swarm enroll`. */
  token: string;
  /** This agent's DECNET_HOME: credentials go to `<home>/swarm/`. */
  home: string;
  /** decnet's version, reported to the master. */
  version: string;
  /** PEM of a private CA the master's HTTPS certificate is signed by. */
  caPem?: string;
  /** @default 15000 */
  timeoutMs?: number;
}

/** What an agent holds after joining. */
export interface JoinedSwarm {
  name: string;
  natsUrl: string;
  credsFile: string;
  caFile: string;
}

/**
 * The agent's side of enrollment: makes its own NATS user key pair, sends
 * the public half with the join token to the master over HTTPS, and stores
 * the returned user JWT with its seed as a creds file (0600), the CA
 * certificate of nats-server's TLS, and where to connect.
 *
 * @param masterUrl https://host[:port] of the master's API
 * @throws {SyntaxError} when `masterUrl` is not https; {Error} with the master's reason when it refuses
 * @example
 * ```ts
 * import { joinSwarm } from "./join_swarm.ts";
 * declare const token: string;
 * const joined = await joinSwarm("https://master.lan:8000", { token, home: "/var/lib/decnet", version: "0.1.0" });
 * ```
 */
export async function joinSwarm(
  masterUrl: string,
  options: JoinSwarmOptions,
): Promise<JoinedSwarm> {
  const base = parseMasterUrl(masterUrl);
  const user = createUser();
  const client = options.caPem ? Deno.createHttpClient({ caCerts: [options.caPem] }) : undefined;
  let body: Record<string, unknown>;
  try {
    const res = await fetch(new URL(JOIN_PATH, base), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        token: options.token,
        public_key: user.getPublicKey(),
        version: options.version,
      }),
      client,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`Join failed: the master answered ${res.status} without JSON`);
    }
    if (!res.ok) {
      const error = (body.error ?? {}) as { message?: string };
      throw new Error(`Join refused by the master (${res.status}): ${error.message ?? text}`);
    }
  } finally {
    client?.close();
  }
  const joined = parseJoinResponse(body);
  const files = swarmFiles(options.home);
  await writePrivateFile(
    files.agentCreds,
    new TextDecoder().decode(fmtCreds(joined.userJwt, user)),
  );
  await writePrivateFile(files.agentCa, joined.caPem);
  await writePrivateFile(
    files.agentInfo,
    JSON.stringify({ name: joined.name, master_url: base.href, nats_url: joined.natsUrl }) + "\n",
  );
  return {
    name: joined.name,
    natsUrl: joined.natsUrl,
    credsFile: files.agentCreds,
    caFile: files.agentCa,
  };
}

/**
 * Checks the master's URL for a join: https only (the token and the
 * returned credentials must not cross the network in clear).
 *
 * @throws {SyntaxError} naming what was expected
 */
export function parseMasterUrl(raw: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== "https:" || url.username || url.password || url.search) {
    throw new SyntaxError(`Bad master URL "${raw.slice(0, 120)}": expected https://host[:port]`);
  }
  return url;
}

function parseJoinResponse(
  body: Record<string, unknown>,
): { name: string; natsUrl: string; userJwt: string; caPem: string } {
  const { name, nats_url: natsUrl, user_jwt: userJwt, ca_pem: caPem } = body;
  if (
    typeof name !== "string" || !SWARM_HOST_NAME_REGEXP.test(name) ||
    typeof natsUrl !== "string" || typeof userJwt !== "string" ||
    typeof caPem !== "string" || !caPem.includes("-----BEGIN CERTIFICATE-----")
  ) {
    throw new Error("Join failed: the master's answer lacks name, nats_url, user_jwt or ca_pem");
  }
  parseSwarmNatsUrl(natsUrl);
  return { name, natsUrl, userJwt, caPem };
}
