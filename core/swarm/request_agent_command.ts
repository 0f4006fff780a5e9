import type { NatsConnection } from "@nats-io/transport-node";
import {
  parseSwarmCommand,
  parseSwarmCommandReply,
  type SwarmCommandArgs,
  type SwarmCommandVerb,
} from "./swarm_command.ts";
import { errorText } from "../log/mod.ts";
import { COMMAND_SUBJECT_ROOT } from "./swarm_subjects.ts";
import { SwarmCommandError } from "./swarm_command_error.ts";

/** How long the master waits for an agent's answer unless told otherwise. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/** Options for {@linkcode requestAgentCommand}. */
export interface RequestAgentCommandOptions {
  /** @default DEFAULT_COMMAND_TIMEOUT_MS */
  timeoutMs?: number;
  /** The command's id, repeated by the reply. @default a random UUID */
  id?: string;
}

/**
 * Sends one command to agent `host` on `decnet.cmd.<host>.<verb>` and waits
 * for its reply: the agent's result when it carried the command out.
 *
 * @param nc the master's NATS connection
 * @param host the agent's name
 * @returns the agent's result (its shape depends on the verb; see agentCommandHandlers)
 * @throws {SwarmCommandError} naming the host: `bad_request` (the arguments
 *   break the command's rules, naming the field; nothing was sent), `offline`
 *   (no agent listens: not connected, not joined or revoked), `timeout`,
 *   `refused` (the agent's error), `bad_reply`, or `failed` (the connection's
 *   own error, e.g. a message over nats-server's payload limit)
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import { requestAgentCommand } from "./request_agent_command.ts";
 * declare const nc: NatsConnection;
 * await requestAgentCommand(nc, "dmz-1", "teardown", { all: true }, { timeoutMs: 60_000 });
 * ```
 */
export async function requestAgentCommand<V extends SwarmCommandVerb>(
  nc: NatsConnection,
  host: string,
  verb: V,
  args: SwarmCommandArgs[V],
  options: RequestAgentCommandOptions = {},
): Promise<unknown> {
  const { RequestError, TimeoutError } = await import("@nats-io/transport-node");
  const id = options.id ?? crypto.randomUUID();
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const command = { id, host, args };
  try {
    // The agent checks the same rules; checking here first names the field without a round trip.
    parseSwarmCommand(verb, command);
  } catch (e) {
    throw new SwarmCommandError(host, verb, "bad_request", (e as Error).message, { cause: e });
  }
  let text: string;
  try {
    const msg = await nc.request(
      `${COMMAND_SUBJECT_ROOT}.${host}.${verb}`,
      JSON.stringify(command),
      { timeout: timeoutMs },
    );
    text = msg.string();
  } catch (e) {
    if (e instanceof RequestError && e.isNoResponders()) {
      throw new SwarmCommandError(
        host,
        verb,
        "offline",
        "no agent answers (offline, not joined or revoked)",
        { cause: e },
      );
    }
    if (
      e instanceof TimeoutError || (e instanceof RequestError && e.cause instanceof TimeoutError)
    ) {
      throw new SwarmCommandError(host, verb, "timeout", `no reply within ${timeoutMs} ms`, {
        cause: e,
      });
    }
    throw new SwarmCommandError(host, verb, "failed", errorText(e), { cause: e });
  }
  let reply;
  try {
    reply = parseSwarmCommandReply(JSON.parse(text));
  } catch (e) {
    throw new SwarmCommandError(host, verb, "bad_reply", (e as Error).message, { cause: e });
  }
  if (reply.id !== id) {
    throw new SwarmCommandError(host, verb, "bad_reply", `reply to "${reply.id}", not "${id}"`);
  }
  if (!reply.ok) throw new SwarmCommandError(host, verb, "refused", reply.error);
  return reply.result;
}
