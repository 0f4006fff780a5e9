import type { NatsConnection } from "@nats-io/transport-node";
import type { Config } from "../core/config/mod.ts";
import { connectSwarmNats, ensureSwarmAuthority, signAuthorityJwts } from "../core/swarm/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/**
 * The master's connection to the swarm's nats-server (DECNET_SWARM_NATS_URL,
 * DECNET_SWARM_NATS_CA, the master user of the trust chain under
 * DECNET_HOME), for a one-shot command that sends agents commands.
 *
 * @param why what needs the swarm, for the error when it is not configured
 * @throws {CliError} exit 2 when the swarm's NATS is not configured
 */
export async function connectMasterSwarm(
  config: Pick<Config, "home" | "swarmNatsUrl" | "swarmNatsCa">,
  why: string,
): Promise<NatsConnection> {
  if (!config.swarmNatsUrl || !config.swarmNatsCa) {
    throw new CliError(
      `Cannot ${why}: DECNET_SWARM_NATS_URL and DECNET_SWARM_NATS_CA must be set`,
      EXIT_USAGE,
    );
  }
  const { authority } = await ensureSwarmAuthority(config.home);
  const { masterUserCreds } = await signAuthorityJwts(authority);
  return await connectSwarmNats({
    url: config.swarmNatsUrl,
    caFile: config.swarmNatsCa,
    creds: masterUserCreds,
    name: "decnet-master",
  });
}
