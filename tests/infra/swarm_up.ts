import { type AdminApi, signInAdmin } from "./sign_in_admin.ts";
import { type DecnetProcess, spawnDecnet } from "./spawn_decnet.ts";
import type { SwarmNats } from "./swarm_nats.ts";

/** What every swarm `decnet up` of the tests shares: quiet logs, listeners on loopback port 0. */
export const SWARM_UP_ENV: Readonly<Record<string, string>> = Object.freeze({
  DECNET_LOG_LEVEL: "warn",
  DECNET_CANARY_HTTP_BIND: "127.0.0.1",
  DECNET_CANARY_HTTP_PORT: "0",
  DECNET_CANARY_DNS_BIND: "127.0.0.1",
  DECNET_CANARY_DNS_PORT: "0",
});

/** A master's `decnet up`, its API's base URL and its admin, signed in. */
export interface SwarmMasterUp extends DecnetProcess {
  api: string;
  admin: AdminApi;
}

/**
 * Starts `decnet up` as the master of `nats` (DECNET_MODE=master in the
 * trust chain's home, API on port 0, no Docker unless `env` names one),
 * waits for its API and signs in as its admin.
 *
 * @example
 * ```ts
 * import { startSwarmNats } from "./swarm_nats.ts";
 * import { spawnSwarmMaster } from "./swarm_up.ts";
 * await using nats = await startSwarmNats();
 * await using master = await spawnSwarmMaster(nats);
 * await master.admin.get("/api/v1/swarm/hosts");
 * ```
 */
export async function spawnSwarmMaster(
  nats: SwarmNats,
  env: Record<string, string> = {},
): Promise<SwarmMasterUp> {
  const proc = spawnDecnet(["up"], {
    cwd: nats.home,
    env: {
      ...SWARM_UP_ENV,
      DECNET_MODE: "master",
      DECNET_HOME: nats.home,
      DECNET_API_PORT: "0",
      DECNET_SWARM_NATS_URL: nats.url,
      DECNET_SWARM_NATS_CA: nats.caFile,
      DOCKER_HOST: `unix://${nats.home}/absent.sock`,
      ...env,
    },
  });
  try {
    const [, password] = await proc.waitForLine(/password "([^"]+)"/);
    const [, api] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
    return Object.assign(proc, { api, admin: await signInAdmin(api, password) });
  } catch (e) {
    await proc.close();
    throw e;
  }
}

/**
 * Starts `decnet up` as the joined agent whose home is `home` (see
 * `SwarmNats.writeAgentJoin`), with no Docker unless `env` names one.
 *
 * @example
 * ```ts
 * import { spawnSwarmAgent } from "./swarm_up.ts";
 * declare const home: string;
 * await using agent = spawnSwarmAgent(home);
 * await agent.waitForLine(/Canary HTTP listening/);
 * ```
 */
export function spawnSwarmAgent(home: string, env: Record<string, string> = {}): DecnetProcess {
  return spawnDecnet(["up"], {
    cwd: home,
    env: {
      ...SWARM_UP_ENV,
      DECNET_MODE: "agent",
      DECNET_HOME: home,
      DOCKER_HOST: `unix://${home}/absent.sock`,
      ...env,
    },
  });
}
