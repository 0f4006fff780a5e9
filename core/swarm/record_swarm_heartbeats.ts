import type { NatsConnection } from "@nats-io/transport-node";
import type { SwarmHostsRepository } from "../db/mod.ts";
import { Logger } from "../log/mod.ts";
import { SWARM_HOST_NAME_REGEXP } from "./swarm_host_name.ts";
import { HEARTBEAT_SUBJECTS } from "./swarm_subjects.ts";

const VERSION_REGEXP = /^[\x21-\x7e]{1,64}$/;

/** A running heartbeat recorder. */
export interface SwarmHeartbeatRecorder extends AsyncDisposable {
  /** Heartbeats recorded so far. */
  readonly recorded: number;
  close(): Promise<void>;
}

/**
 * The master's heartbeat listener: every `decnet.agent.<name>.heartbeat`
 * (`{version}`) stamps that host's `last_heartbeat` (and version). Only an
 * agent's own credentials can publish on its subject, so the name in the
 * subject is the sender. Heartbeats of unknown or revoked hosts are ignored.
 *
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import type { SwarmHostsRepository } from "../db/mod.ts";
 * import { recordSwarmHeartbeats } from "./record_swarm_heartbeats.ts";
 * declare const nc: NatsConnection;
 * declare const hosts: SwarmHostsRepository;
 * await using recorder = recordSwarmHeartbeats(nc, hosts);
 * ```
 */
export function recordSwarmHeartbeats(
  nc: NatsConnection,
  hosts: SwarmHostsRepository,
  options: { logger?: Logger } = {},
): SwarmHeartbeatRecorder {
  const log = options.logger ?? new Logger({ scope: "swarm" });
  const sub = nc.subscribe(HEARTBEAT_SUBJECTS);
  let recorded = 0;
  const loop = (async () => {
    for await (const msg of sub) {
      const name = msg.subject.split(".")[2];
      if (!SWARM_HOST_NAME_REGEXP.test(name)) continue;
      let version: string | null = null;
      try {
        const body = msg.json<{ version?: unknown }>();
        if (typeof body.version === "string" && VERSION_REGEXP.test(body.version)) {
          version = body.version;
        }
      } catch {
        // A heartbeat without a readable body still says the host is alive.
      }
      try {
        if (await hosts.recordHeartbeat(name, version)) recorded++;
      } catch (e) {
        log.warn("swarm heartbeat not recorded", { host: name, error: (e as Error).message });
      }
    }
  })();
  const close = async () => {
    sub.unsubscribe();
    await loop;
  };
  return {
    get recorded() {
      return recorded;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
