// Its own module, not request_agent_command.ts's (which parses commands with zod): the
// orchestrator names this error on every path, and one with no swarm agent never evaluates zod.
import type { SwarmCommandVerb } from "./swarm_command.ts";

/** Why a command did not come back done. */
export type SwarmCommandFailure =
  | "bad_request"
  | "offline"
  | "timeout"
  | "refused"
  | "bad_reply"
  | "failed";

/** A command an agent did not carry out, naming the host and why. */
export class SwarmCommandError extends Error {
  override name = "SwarmCommandError";
  readonly host: string;
  readonly verb: SwarmCommandVerb;
  readonly failure: SwarmCommandFailure;

  constructor(
    host: string,
    verb: SwarmCommandVerb,
    failure: SwarmCommandFailure,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`Cannot ${verb} on swarm host ${host}: ${detail}`, options);
    this.host = host;
    this.verb = verb;
    this.failure = failure;
  }
}
