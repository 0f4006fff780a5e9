import type { NatsConnection } from "@nats-io/transport-node";
import {
  agentSubjects,
  connectSwarmNats,
  ensureSwarmAuthority,
  renderNatsConfig,
  signAuthorityJwts,
  swarmFiles,
  writeMasterCreds,
} from "../../core/swarm/mod.ts";
import type { AuthorityJwts, SwarmAuthority } from "../../core/swarm/mod.ts";
import { freePort } from "./free_port.ts";
import { startNats } from "./nats.ts";
import type { NatsServer } from "./nats.ts";
import { makeTestCertificates } from "./test_certificates.ts";

/** A nats-server configured for a swarm, as `decnet swarm nats-config` renders it. */
export interface SwarmNats extends AsyncDisposable {
  server: NatsServer;
  /** tls://localhost:<port> (the certificate names localhost). */
  url: string;
  caFile: string;
  home: string;
  authority: SwarmAuthority;
  jwts: AuthorityJwts;
  /** Connects as the master's user. */
  connectMaster(options?: { reconnect?: boolean }): Promise<NatsConnection>;
  /** Connects as agent `name` with its `creds` (its own inbox prefix). */
  connectAgent(
    name: string,
    creds: string,
    options?: { reconnect?: boolean },
  ): Promise<NatsConnection>;
  /** Writes into agent `home` what `decnet agent join` leaves there for `name` and `creds`. */
  writeAgentJoin(home: string, name: string, creds: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates a master's trust chain in a fresh home, renders the nats-server
 * configuration for it (TLS with a throwaway CA, full resolver, JetStream)
 * and starts Debian's nats-server with it on a free loopback port; its
 * `connectMaster`/`connectAgent` connect as the master's user or an agent,
 * and `writeAgentJoin` leaves an agent's home as `decnet agent join` does.
 *
 * @example
 * ```ts
 * import { startSwarmNats } from "./swarm_nats.ts";
 * await using nats = await startSwarmNats();
 * ```
 */
export async function startSwarmNats(): Promise<SwarmNats> {
  const dir = await Deno.makeTempDir({ prefix: "swarm-nats-" });
  const home = `${dir}/home`;
  const certs = await makeTestCertificates(dir);
  const { authority } = await ensureSwarmAuthority(home);
  // As `decnet swarm nats-config` does: the master's workers read this file only.
  await writeMasterCreds(home);
  const jwts = await signAuthorityJwts(authority);
  const port = freePort();
  const configFile = `${dir}/nats.conf`;
  await Deno.writeTextFile(
    configFile,
    renderNatsConfig(jwts, {
      listen: `127.0.0.1:${port}`,
      certFile: certs.certFile,
      keyFile: certs.keyFile,
      dataDir: `${dir}/nats`,
    }),
  );
  const server = await startNats({ configFile, port });
  const url = `tls://localhost:${port}`;
  const connect = (creds: string, options: { inboxPrefix?: string; reconnect?: boolean }) =>
    connectSwarmNats({ url, caFile: certs.caFile, creds, ...options });
  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= server.close().then(() => Deno.remove(dir, { recursive: true }).catch(() => {}));
  return {
    server,
    url,
    caFile: certs.caFile,
    home,
    authority,
    jwts,
    connectMaster: (options = {}) => connect(jwts.masterUserCreds, options),
    connectAgent: (name, creds, options = {}) =>
      connect(creds, { ...options, inboxPrefix: agentSubjects(name).inboxPrefix }),
    writeAgentJoin: async (agentHome, name, creds) => {
      const files = swarmFiles(agentHome);
      await Deno.mkdir(files.dir, { recursive: true });
      await Deno.writeTextFile(files.agentCreds, creds);
      await Deno.copyFile(certs.caFile, files.agentCa);
      await Deno.writeTextFile(
        files.agentInfo,
        JSON.stringify({ name, master_url: "https://localhost:1", nats_url: url }),
      );
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
