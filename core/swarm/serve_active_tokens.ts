import type { NatsConnection } from "@nats-io/transport-node";
import type { ActiveTokenSummary } from "../db/mod.ts";
import { Logger } from "../log/mod.ts";
import { SWARM_HOST_NAME_REGEXP } from "./swarm_host_name.ts";
import { TOKEN_REQUEST_SUBJECTS } from "./swarm_subjects.ts";

/** A running active tokens responder. */
export interface ActiveTokensServer extends AsyncDisposable {
  close(): Promise<void>;
}

/**
 * The master's answer to agents asking for the active canary tokens (on
 * `decnet.agent.<name>.tokens`): every issued or planted token's uuid and
 * slug, so each agent's canary listeners record hits on any of them. A
 * request the database cannot answer gets no reply: the agent keeps its
 * last list.
 *
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import type { Repositories } from "../db/mod.ts";
 * import { serveActiveTokens } from "./serve_active_tokens.ts";
 * declare const nc: NatsConnection;
 * declare const repos: Repositories;
 * await using _tokens = serveActiveTokens(nc, () => repos.canaryJournals.activeTokens());
 * ```
 */
export function serveActiveTokens(
  nc: NatsConnection,
  activeTokens: () => Promise<ActiveTokenSummary[]>,
  options: { logger?: Logger } = {},
): ActiveTokensServer {
  const log = options.logger ?? new Logger({ scope: "swarm" });
  const sub = nc.subscribe(TOKEN_REQUEST_SUBJECTS);
  const loop = (async () => {
    for await (const msg of sub) {
      const host = msg.subject.split(".")[2];
      if (!SWARM_HOST_NAME_REGEXP.test(host) || !msg.reply) continue;
      try {
        msg.respond(JSON.stringify({ tokens: await activeTokens() }));
      } catch (e) {
        log.warn("active tokens not sent", { host, error: (e as Error).message });
      }
    }
  })();
  const close = async () => {
    sub.unsubscribe();
    await loop;
  };
  return { close, [Symbol.asyncDispose]: close };
}
