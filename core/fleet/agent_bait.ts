import { z } from "zod";
import type { AgentBait } from "../../canary/planter.ts";
import type { CanaryTokenRow } from "../db/mod.ts";
import type { AgentCommandRequest } from "../orchestrator/agent_decky_ops.ts";
import { encodeBase64 } from "../swarm/base64.ts";
import type { SwarmCommandArgs } from "../swarm/swarm_command.ts";

/** How long the master waits for an agent to plant or remove bait (uploads can be large). */
export const AGENT_BAIT_TIMEOUT_MS = 30_000;

const PLANTED = z.object({ path: z.string().min(1).max(1024) });

/** What of a token the agent needs to place its bait (the master keeps the rest). */
function plantedToken(token: CanaryTokenRow): SwarmCommandArgs["plant"]["token"] {
  if (token.placement_path === null) {
    throw new TypeError(`Cannot plant token ${token.uuid}: it has no placement path`);
  }
  return {
    callback_token: token.callback_token,
    http_base: token.http_base,
    dns_zone: token.dns_zone,
    persona: token.persona,
    created_at: token.created_at,
    placement_path: token.placement_path,
  };
}

/**
 * Bait into and out of deckies on swarm hosts, through their agents' `plant`
 * and `revoke` commands: the master keeps the token, the agent gets only what
 * places the file (slug, callback base, persona, path) and the bytes.
 *
 * @param request sends a command to an agent (requestAgentCommand on the master's connection)
 * @returns the planter's `agents`
 * @throws from each call: SwarmCommandError naming the host, or TypeError for a bad reply
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import { requestAgentCommand } from "../swarm/request_agent_command.ts";
 * import { agentBait } from "./agent_bait.ts";
 * declare const nc: NatsConnection;
 * const agents = agentBait((h, v, a, o) => requestAgentCommand(nc, h, v, a, o));
 * ```
 */
export function agentBait(request: AgentCommandRequest): AgentBait {
  return {
    async plant(host, decky, { artifact, token }) {
      const reply = await request(host, "plant", {
        decky: { name: decky.name, ...(decky.container ? { container: decky.container } : {}) },
        token: plantedToken(token),
        artifact: {
          bytes: encodeBase64(artifact.bytes),
          mode: artifact.mode,
          modified_at: artifact.modifiedAt,
          ...(artifact.companions
            ? {
              companions: {
                anchor: artifact.companions.anchor,
                files: artifact.companions.files.map((f) => ({
                  path: f.path,
                  bytes: encodeBase64(f.bytes),
                  mode: f.mode,
                  modified_at: f.modifiedAt,
                })),
              },
            }
            : {}),
        },
      }, { timeoutMs: AGENT_BAIT_TIMEOUT_MS });
      const parsed = PLANTED.safeParse(reply);
      if (!parsed.success) {
        throw new TypeError(`Bad plant reply from swarm host ${host}: expected {path}`);
      }
      return parsed.data;
    },
    async remove(host, decky, token) {
      await request(host, "revoke", { decky: { name: decky }, token: plantedToken(token) }, {
        timeoutMs: AGENT_BAIT_TIMEOUT_MS,
      });
    },
  };
}
