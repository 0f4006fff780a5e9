import { join } from "node:path";

/** Where the swarm's files live under DECNET_HOME. */
export interface SwarmFiles {
  dir: string;
  /** Master: every seed of the trust chain (0600). */
  authority: string;
  /** Master: the account id and signing seed, all the API reads (0600). */
  issuer: string;
  /** Master: its NATS user's credentials, all its workers read (0600). */
  masterCreds: string;
  /** Agent: its NATS credentials (user JWT and its own seed, 0600). */
  agentCreds: string;
  /** Agent: the CA certificate nats-server's TLS certificate is checked against. */
  agentCa: string;
  /** Agent: its name, the master's URL and the NATS URL it was given. */
  agentInfo: string;
  /** Agent: how far JetStream has each of its journals (one file each). */
  agentCursors: string;
}

/**
 * The swarm's file paths under `home` (`<home>/swarm/…`).
 *
 * @example
 * ```ts
 * import { swarmFiles } from "./swarm_files.ts";
 * swarmFiles("/var/lib/decnet").authority; // "/var/lib/decnet/swarm/authority.json"
 * ```
 */
export function swarmFiles(home: string): SwarmFiles {
  const dir = join(home, "swarm");
  return {
    dir,
    authority: join(dir, "authority.json"),
    issuer: join(dir, "issuer.json"),
    masterCreds: join(dir, "master.creds"),
    agentCreds: join(dir, "agent.creds"),
    agentCa: join(dir, "ca.pem"),
    agentInfo: join(dir, "agent.json"),
    agentCursors: join(dir, "cursors"),
  };
}
