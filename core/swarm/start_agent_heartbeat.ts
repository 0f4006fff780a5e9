import type { NatsConnection } from "@nats-io/transport-node";
import { agentSubjects } from "./swarm_subjects.ts";

/** Default pause between two heartbeats of an agent. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * The agent's heartbeat: publishes `{version, at}` on
 * `decnet.agent.<name>.heartbeat` now and every `intervalMs`, until closed.
 * While the link is down the NATS client buffers it; a missed one is only a
 * late `last_heartbeat` on the master.
 *
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import { startAgentHeartbeat } from "./start_agent_heartbeat.ts";
 * declare const nc: NatsConnection;
 * using beat = startAgentHeartbeat(nc, "dmz-1", { version: "0.1.0" });
 * ```
 */
export function startAgentHeartbeat(
  nc: NatsConnection,
  name: string,
  options: { version: string; intervalMs?: number; now?: () => Date },
): Disposable & { close(): void } {
  const subject = agentSubjects(name).heartbeat;
  const now = options.now ?? (() => new Date());
  const beat = () => {
    if (nc.isClosed()) return;
    nc.publish(subject, JSON.stringify({ version: options.version, at: now().toISOString() }));
  };
  beat();
  const timer = setInterval(beat, options.intervalMs ?? DEFAULT_HEARTBEAT_MS);
  const close = () => clearInterval(timer);
  return { close, [Symbol.dispose]: close };
}
