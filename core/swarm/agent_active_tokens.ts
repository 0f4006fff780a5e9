import type { NatsConnection } from "@nats-io/transport-node";
import type { ActiveTokenSummary } from "../db/mod.ts";
import { readActiveTokens } from "../journal/mod.ts";
import { agentSubjects } from "./swarm_subjects.ts";
import { parseActiveTokensReply } from "./active_tokens_reply.ts";

/** Options for {@linkcode AgentActiveTokens}. */
export interface AgentActiveTokensOptions {
  /** The agent's swarm name. */
  host: string;
  /** The canary listeners' snapshot file: the last tokens known when the agent restarts. */
  tokensFile: string;
  /** How long the master may take to answer. @default 2000 */
  timeoutMs?: number;
}

/**
 * An agent's active canary tokens: asked of the master (request-reply on
 * `decnet.agent.<name>.tokens`); while the master or the link is down the
 * last answer stands (after a restart, the listeners' snapshot file), so the
 * listeners keep recording the tokens they knew.
 *
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import { AgentActiveTokens } from "./agent_active_tokens.ts";
 * declare const nc: NatsConnection;
 * const tokens = new AgentActiveTokens(nc, { host: "dmz-1", tokensFile: "/var/lib/decnet/spool/canary/tokens.json" });
 * await tokens.activeTokens();
 * ```
 */
export class AgentActiveTokens {
  readonly #nc: NatsConnection;
  readonly #o: AgentActiveTokensOptions;
  #last: ActiveTokenSummary[] | null = null;

  constructor(nc: NatsConnection, options: AgentActiveTokensOptions) {
    this.#nc = nc;
    this.#o = options;
  }

  /**
   * The master's list, or the last one known when it does not answer.
   *
   * @throws {Error} when the master does not answer and no list was ever known
   */
  async activeTokens(): Promise<ActiveTokenSummary[]> {
    try {
      const reply = await this.#nc.request(agentSubjects(this.#o.host).tokens, "", {
        timeout: this.#o.timeoutMs ?? 2000,
      });
      this.#last = parseActiveTokensReply(reply.string());
      return this.#last;
    } catch (e) {
      this.#last ??= await readActiveTokens(this.#o.tokensFile);
      if (this.#last) return this.#last;
      throw new Error(`Cannot get the active tokens from the master: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }
}
