import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "../log/mod.ts";
import { errorText } from "../log/mod.ts";
import { connectSwarmNats } from "../swarm/connect_swarm_nats.ts";
import { requestAgentCommand } from "../swarm/request_agent_command.ts";
import { SwarmCommandError } from "../swarm/swarm_command_error.ts";
import { readMasterCreds } from "../swarm/master_creds_file.ts";
import type { AgentCommandRequest } from "./agent_decky_ops.ts";

/** The master's link to its agents: commands go out over it; `close()` drops the connection. */
export interface MasterSwarmLink extends AsyncDisposable {
  request: AgentCommandRequest;
  close(): Promise<void>;
}

/** Options for {@linkcode openMasterSwarmLink}. */
export interface MasterSwarmLinkOptions {
  /** DECNET_HOME: the master user's credentials are `<home>/swarm/master.creds`. */
  home: string;
  /** DECNET_SWARM_NATS_URL (null: no swarm). */
  url: string | null;
  /** DECNET_SWARM_NATS_CA (null: no swarm). */
  caFile: string | null;
  log: Logger;
}

/**
 * The orchestrator's way to its agents on a master: with the swarm's NATS
 * configured and the master user's credentials present, commands go to agents as
 * the master's user. The connection is made on the first command and again
 * after it is lost, so a nats-server that is down at start or goes away is a
 * command failure naming the host (the orchestrator rests that host), never
 * a crash. Null where this host is no master (no swarm settings, or no
 * `master.creds`: it never creates one).
 *
 * @param options home, the swarm's NATS URL and CA, and a logger
 * @returns the link, or null
 * @example
 * ```ts
 * import type { Logger } from "../log/logger.ts";
 * import { openMasterSwarmLink } from "./master_swarm_link.ts";
 * declare const log: Logger;
 * await using link = await openMasterSwarmLink({
 *   home: "/var/lib/decnet", url: "tls://nats.lan:4222", caFile: "/etc/decnet/ca.pem", log,
 * });
 * ```
 */
export async function openMasterSwarmLink(
  options: MasterSwarmLinkOptions,
): Promise<MasterSwarmLink | null> {
  const { url, caFile, log } = options;
  if (!url || !caFile) return null;
  const masterUserCreds = await readMasterCreds(options.home);
  if (masterUserCreds === null) {
    log.info("no swarm master credentials here; swarm hosts' deckies are left alone");
    return null;
  }
  let nc: NatsConnection | null = null;
  let connecting: Promise<NatsConnection> | null = null;
  const connection = (): Promise<NatsConnection> => {
    if (nc && !nc.isClosed()) return Promise.resolve(nc);
    connecting ??= connectSwarmNats({
      url,
      caFile,
      creds: masterUserCreds,
      name: "decnet-master-orchestrator",
      reconnect: true,
    }).then((c) => {
      nc = c;
      log.info("connected to the swarm", { url });
      return c;
    }).finally(() => {
      connecting = null;
    });
    return connecting;
  };
  const request: AgentCommandRequest = async (host, verb, args, o) => {
    let c: NatsConnection;
    try {
      c = await connection();
    } catch (e) {
      throw new SwarmCommandError(
        host,
        verb,
        "offline",
        `cannot reach the swarm's nats-server: ${errorText(e)}`,
        { cause: e },
      );
    }
    return await requestAgentCommand(c, host, verb, args, o);
  };
  const close = async () => {
    await connecting?.catch(() => {});
    await nc?.close().catch(() => {});
  };
  return { request, close, [Symbol.asyncDispose]: close };
}
