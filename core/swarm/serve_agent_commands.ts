import type { Msg, NatsConnection } from "@nats-io/transport-node";
import { errorText, type Logger } from "../log/mod.ts";
import {
  isSwarmCommandVerb,
  parseSwarmCommand,
  SWARM_COMMAND_VERBS,
  type SwarmCommandArgs,
  type SwarmCommandReply,
  type SwarmCommandVerb,
} from "./swarm_command.ts";
import { agentSubjects } from "./swarm_subjects.ts";

/** What an agent does for each verb; the result travels back as JSON. */
export type AgentCommandHandlers = {
  [V in SwarmCommandVerb]: (args: SwarmCommandArgs[V]) => Promise<unknown>;
};

/** A running command server; `close()` stops hearing commands and waits for the one in hand. */
export interface AgentCommandServer extends AsyncDisposable {
  close(): Promise<void>;
}

const ID_REGEXP = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The agent's side of master→agent commands: hears `decnet.cmd.<name>.<verb>`
 * (NATS permissions let it hear nothing else), checks the command (its verb,
 * every field, and that it is addressed to this agent by name), runs the
 * verb's handler and replies `{id, ok, result | error}`. Commands run one at
 * a time, in arrival order, so two deploys never interleave on one Docker.
 *
 * @param nc the agent's NATS connection (connected with its own inbox prefix)
 * @param name this agent's swarm host name
 * @param handlers the work per verb (see agentCommandHandlers)
 * @returns the server; close it before the connection
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import type { Logger } from "../log/mod.ts";
 * import type { AgentCommandHandlers } from "./serve_agent_commands.ts";
 * import { serveAgentCommands } from "./serve_agent_commands.ts";
 * declare const nc: NatsConnection;
 * declare const handlers: AgentCommandHandlers;
 * declare const log: Logger;
 * await using server = serveAgentCommands(nc, "dmz-1", handlers, { log });
 * ```
 */
export function serveAgentCommands(
  nc: NatsConnection,
  name: string,
  handlers: AgentCommandHandlers,
  options: { log: Logger },
): AgentCommandServer {
  const log = options.log;
  const prefix = agentSubjects(name).commands.slice(0, -1);
  const sub = nc.subscribe(`${prefix}*`);
  let queue = Promise.resolve();
  const loop = (async () => {
    for await (const msg of sub) {
      queue = queue.then(() => answer(msg));
    }
  })().catch((e) => log.error("command subscription ended", { error: e }));

  async function answer(msg: Msg): Promise<void> {
    const verb = msg.subject.slice(prefix.length);
    let id = "unknown";
    let reply: SwarmCommandReply;
    try {
      if (!isSwarmCommandVerb(verb)) {
        throw new TypeError(
          `Unknown command "${verb.slice(0, 64)}": expected one of ${
            SWARM_COMMAND_VERBS.join(", ")
          }`,
        );
      }
      let value: unknown;
      try {
        value = msg.json();
      } catch {
        throw new SyntaxError(`Bad ${verb} command: expected JSON`);
      }
      const claimed = (value as { id?: unknown } | null)?.id;
      if (typeof claimed === "string" && ID_REGEXP.test(claimed)) id = claimed;
      const command = parseSwarmCommand(verb, value);
      if (command.host !== name) {
        throw new Error(
          `Refused ${verb} command: addressed to ${command.host}, this agent is ${name}`,
        );
      }
      log.info("command received", { verb, id });
      const result = await (handlers[verb] as (args: unknown) => Promise<unknown>)(command.args);
      reply = { id, ok: true, result: result ?? null };
    } catch (e) {
      log.warn("command refused or failed", { verb: verb.slice(0, 64), id, error: e });
      reply = { id, ok: false, error: errorText(e).slice(0, 4096) };
    }
    if (!msg.respond(JSON.stringify(reply))) {
      log.warn("command has no reply subject", { verb: verb.slice(0, 64), id });
    }
  }

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      if (!nc.isClosed()) {
        sub.unsubscribe();
        // Until the server has the unsubscribe, it still routes commands here and their senders
        // wait out their timeout instead of hearing at once that no agent answers.
        await nc.flush().catch(() => {});
      }
      await loop;
      await queue;
    })();
  return { close, [Symbol.asyncDispose]: close };
}
