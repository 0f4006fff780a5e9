import {
  ensureSwarmAuthority,
  renderNatsConfig,
  signAuthorityJwts,
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
  close(): Promise<void>;
}

/**
 * Creates a master's trust chain in a fresh home, renders the nats-server
 * configuration for it (TLS with a throwaway CA, full resolver, JetStream)
 * and starts Debian's nats-server with it on a free loopback port.
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
  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= server.close().then(() => Deno.remove(dir, { recursive: true }).catch(() => {}));
  return {
    server,
    url: `tls://localhost:${port}`,
    caFile: certs.caFile,
    home,
    authority,
    jwts,
    close,
    [Symbol.asyncDispose]: close,
  };
}
