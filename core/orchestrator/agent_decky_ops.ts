import type { z } from "zod";
import { encodeBase64 } from "../swarm/base64.ts";
import { SwarmCommandError } from "../swarm/swarm_command_error.ts";
import type { SwarmCommandArgs, SwarmCommandVerb } from "../swarm/swarm_command.ts";
import { parseSurvey } from "../survey/mod.ts";
import type { AGENT_REPLIES } from "./agent_replies.ts";
import type { DeckyOps, DeckyWriteResult } from "./decky_ops.ts";

/** Sends one command to a swarm agent and returns its result (requestAgentCommand fits). */
export type AgentCommandRequest = <V extends SwarmCommandVerb>(
  host: string,
  verb: V,
  args: SwarmCommandArgs[V],
  options: { timeoutMs: number },
) => Promise<unknown>;

/** How long the master waits for an agent's survey, file write or mail. */
export const AGENT_ACTION_TIMEOUT_MS = 25_000;
/** How long for an SSH session on an agent (port gate, key, authorisation, the session). */
export const AGENT_TRAFFIC_TIMEOUT_MS = 60_000;

/** The shapes of agents' replies, by name. */
type Replies = typeof AGENT_REPLIES;

/** Options for {@linkcode agentDeckyOps}. */
export interface AgentDeckyOpsOptions {
  /** The swarm host running the decky. */
  host: string;
  /** The decky's name (the agent acts only on deckies its state file records). */
  decky: string;
  /** Told when the agent did not answer at all (offline, silent), before the error is thrown. */
  onUnreachable?: (host: string, error: SwarmCommandError) => void;
}

/**
 * The orchestrator's work inside a decky that runs on a swarm agent: each
 * call is one command to that agent (`survey`, `file`, `mail`, `traffic`),
 * which runs the same code the local path runs on its own Docker. Every
 * error names the host; an agent that does not answer is also reported to
 * `onUnreachable`, so the caller can leave its deckies alone for a while.
 *
 * @param request sends a command (the master's NATS connection behind it)
 * @param options the host, the decky and the unreachable hook
 * @returns the operations, `host` set
 * @throws {SwarmCommandError} from each call, naming the host; {TypeError} for a bad reply
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import { requestAgentCommand } from "../swarm/request_agent_command.ts";
 * import { agentDeckyOps } from "./agent_decky_ops.ts";
 * declare const nc: NatsConnection;
 * const ops = agentDeckyOps((h, v, a, o) => requestAgentCommand(nc, h, v, a, o), {
 *   host: "dmz-1", decky: "ws-01",
 * });
 * const survey = await ops.survey("ws-01-ssh");
 * ```
 */
export function agentDeckyOps(
  request: AgentCommandRequest,
  options: AgentDeckyOpsOptions,
): DeckyOps {
  const { host, decky } = options;
  async function ask<V extends SwarmCommandVerb, T>(
    verb: V,
    args: SwarmCommandArgs[V],
    shape: (replies: Replies) => z.ZodType<T>,
    timeoutMs = AGENT_ACTION_TIMEOUT_MS,
  ): Promise<T> {
    let reply: unknown;
    try {
      reply = await request(host, verb, args, { timeoutMs });
    } catch (e) {
      if (e instanceof SwarmCommandError && (e.failure === "offline" || e.failure === "timeout")) {
        options.onUnreachable?.(host, e);
      }
      throw e;
    }
    // zod loads with the first command to an agent: an orchestrator with none never evaluates it.
    const { AGENT_REPLIES } = await import("./agent_replies.ts");
    const parsed = shape(AGENT_REPLIES).safeParse(reply);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TypeError(
        `Bad ${verb} reply from swarm host ${host}: ${
          issue.path.join(".") || "result"
        }: ${issue.message}`,
      );
    }
    return parsed.data;
  }
  const written = (r: z.infer<Replies["write"]>): DeckyWriteResult => ({
    ok: r.ok,
    exitCode: r.exit_code,
    stderr: r.stderr,
  });
  return {
    host,
    survey: async (container) => {
      const r = await ask("survey", { decky, container }, (s) => s.survey);
      return parseSurvey(r.output, r.marker);
    },
    plantFile: async (container, o) => {
      const r = await ask("file", {
        op: "write",
        decky,
        container,
        path: o.path,
        bytes: encodeBase64(o.bytes),
        ...(o.mode === undefined ? {} : { mode: o.mode }),
        mtime: o.mtime.toISOString(),
        owner: o.owner ?? null,
      }, (s) => s.planted);
      return { ...written(r), owned: r.owned };
    },
    appendLog: async (container, o) =>
      written(
        await ask("file", {
          op: "append",
          decky,
          container,
          path: o.path,
          bytes: encodeBase64(o.bytes),
        }, (s) => s.write),
      ),
    plantTree: async (container, o) =>
      written(
        await ask("file", {
          op: "tree",
          decky,
          container,
          root: o.root,
          login: o.login,
          files: o.files.map((f) => ({
            path: f.path,
            bytes: encodeBase64(f.bytes),
            mode: f.mode,
            mtime: f.mtime.toISOString(),
          })),
        }, (s) => s.write),
      ),
    installCronJob: async (container, o) => {
      const r = await ask("file", {
        op: "cron",
        decky,
        container,
        login: o.login,
        rel_path: o.relPath,
        script: o.script,
        line: o.line,
      }, (s) => s.cron);
      return { ...written(r), installed: r.installed };
    },
    appendHistory: async (container, o) =>
      written(
        await ask("file", {
          op: "history",
          decky,
          container,
          login: o.login,
          lines: [...o.lines],
        }, (s) => s.write),
      ),
    deliverMail: async (container, o) => {
      const r = await ask("mail", {
        decky,
        container,
        login: o.login,
        sender: o.sender,
        bytes: encodeBase64(o.bytes),
      }, (s) => s.mail);
      return { ...written(r), noLda: r.no_lda };
    },
    sshSession: async (o) => {
      const r = await ask(
        "traffic",
        {
          src: { decky: o.src.name, container: o.src.container },
          dst: { decky: o.dst.name, container: o.dst.container },
          login: o.login,
          dst_ip: o.dstIp,
          commands: [...o.commands],
          authorized_key: o.authorizedKey,
        },
        (s) => s.session,
        AGENT_TRAFFIC_TIMEOUT_MS,
      );
      return {
        ...written(r),
        failedStep: r.failed_step,
        authorizedKey: r.authorized_key,
        port: r.port,
        ...(r.gate_error ? { gateError: r.gate_error } : {}),
      };
    },
  };
}
