import type { NatsConnection } from "@nats-io/transport-node";

/** Options for {@linkcode connectSwarmNats}. */
export interface ConnectSwarmNatsOptions {
  /** tls://host:port */
  url: string;
  /** PEM file of the CA that signed nats-server's certificate. */
  caFile: string;
  /** Contents of a creds file (user JWT and seed). */
  creds: string;
  /** Client name shown by nats-server's monitoring. */
  name?: string;
  /** An agent's own inbox prefix (see agentSubjects): the only inboxes it may hear. */
  inboxPrefix?: string;
  /** Keep reconnecting after a drop. @default false */
  reconnect?: boolean;
  /** @default 5000 */
  timeoutMs?: number;
}

/**
 * Connects to the swarm's nats-server over TLS with a creds file.
 *
 * @throws the NATS client's error when the server is unreachable or refuses the credentials
 * @example
 * ```ts
 * import { connectSwarmNats } from "./connect_swarm_nats.ts";
 * declare const creds: string;
 * const nc = await connectSwarmNats({ url: "tls://nats.lan:4222", caFile: "/etc/ca.pem", creds });
 * await nc.close();
 * ```
 */
export async function connectSwarmNats(options: ConnectSwarmNatsOptions): Promise<NatsConnection> {
  const url = new URL(options.url);
  const { connect, credsAuthenticator } = await import("@nats-io/transport-node");
  return await connect({
    servers: `${url.hostname}:${url.port}`,
    name: options.name,
    tls: { caFile: options.caFile },
    authenticator: credsAuthenticator(new TextEncoder().encode(options.creds)),
    inboxPrefix: options.inboxPrefix,
    reconnect: options.reconnect ?? false,
    maxReconnectAttempts: options.reconnect ? -1 : 0,
    timeout: options.timeoutMs ?? 5000,
  });
}
