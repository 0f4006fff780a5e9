import { connectSwarmNats } from "./connect_swarm_nats.ts";

/** Where and as whom {@linkcode pushAccountJwt} connects. */
export interface PushAccountJwtOptions {
  /** tls://host:port of nats-server. */
  url: string;
  caFile: string;
  /** A system-account user's creds (AuthorityJwts.systemUserCreds). */
  systemUserCreds: string;
  /** @default 5000 */
  timeoutMs?: number;
}

/**
 * Sends a new account JWT to the running nats-server
 * (`$SYS.REQ.CLAIMS.UPDATE`): its `full` resolver stores it and applies it
 * at once, closing the connections of users it revokes.
 *
 * @throws {Error} when the server is unreachable or rejects the update (its reason quoted)
 * @example
 * ```ts
 * import { pushAccountJwt } from "./push_account_jwt.ts";
 * declare const accountJwt: string;
 * declare const systemUserCreds: string;
 * await pushAccountJwt(accountJwt, { url: "tls://nats.lan:4222", caFile: "/etc/ca.pem", systemUserCreds });
 * ```
 */
export async function pushAccountJwt(
  accountJwt: string,
  options: PushAccountJwtOptions,
): Promise<void> {
  const timeout = options.timeoutMs ?? 5000;
  const nc = await connectSwarmNats({
    url: options.url,
    caFile: options.caFile,
    creds: options.systemUserCreds,
    name: "decnet-swarm-admin",
    timeoutMs: timeout,
  });
  try {
    const reply = await nc.request("$SYS.REQ.CLAIMS.UPDATE", accountJwt, { timeout });
    const body = reply.json<
      { data?: { code?: number }; error?: { code?: number; description?: string } }
    >();
    if (body.error || body.data?.code !== 200) {
      throw new Error(
        `nats-server refused the account update: ${body.error?.description ?? reply.string()}`,
      );
    }
  } finally {
    await nc.close();
  }
}
