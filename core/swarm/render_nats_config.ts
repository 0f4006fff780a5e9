import { join } from "node:path";
import type { AuthorityJwts } from "./sign_authority_jwts.ts";

/** Options for {@linkcode renderNatsConfig}. */
export interface RenderNatsConfigOptions {
  /** host:port nats-server listens on for clients. */
  listen: string;
  /** PEM certificate (chain) nats-server presents. */
  certFile: string;
  /** Its private key. */
  keyFile: string;
  /** nats-server's own directory: account JWTs (`jwt/`) and JetStream's store (`jetstream/`). */
  dataDir: string;
}

/**
 * Renders a nats-server (2.9+) configuration for the swarm: TLS required,
 * decentralized JWT authentication trusting the operator, the `full`
 * account resolver (it stores account JWTs in a directory and takes signed
 * updates on `$SYS.REQ.CLAIMS.UPDATE`, so enrolling and revoking never
 * restart the server), the accounts preloaded, and JetStream on.
 *
 * @example
 * ```ts
 * import { createSwarmAuthority } from "./swarm_authority.ts";
 * import { signAuthorityJwts } from "./sign_authority_jwts.ts";
 * import { renderNatsConfig } from "./render_nats_config.ts";
 * const jwts = await signAuthorityJwts(createSwarmAuthority());
 * const text = renderNatsConfig(jwts, {
 *   listen: "0.0.0.0:4222",
 *   certFile: "/etc/nats/server.pem",
 *   keyFile: "/etc/nats/server.key",
 *   dataDir: "/var/lib/nats",
 * });
 * ```
 */
export function renderNatsConfig(jwts: AuthorityJwts, options: RenderNatsConfigOptions): string {
  const q = (s: string) => JSON.stringify(s);
  return `# nats-server configuration for a decnet swarm (rendered by decnet swarm nats-config).
# Account updates and revocations reach the running server over $SYS.REQ.CLAIMS.UPDATE;
# re-render only to change addresses, certificates or directories.
listen: ${q(options.listen)}

tls {
  cert_file: ${q(options.certFile)}
  key_file: ${q(options.keyFile)}
  timeout: 5
}

operator: ${q(jwts.operator)}
system_account: ${jwts.systemAccountPublicKey}

resolver {
  type: full
  dir: ${q(join(options.dataDir, "jwt"))}
  allow_delete: false
  interval: "2m"
  timeout: "5s"
}

resolver_preload {
  ${jwts.systemAccountPublicKey}: ${q(jwts.systemAccount)}
  ${jwts.accountPublicKey}: ${q(jwts.account)}
}

jetstream {
  store_dir: ${q(join(options.dataDir, "jetstream"))}
}
`;
}
