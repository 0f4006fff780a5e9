import type { AdminApi } from "./sign_in_admin.ts";
import { findBinary } from "./find_binary.ts";
import type { SwarmLabAgent } from "./swarm_lab.ts";

/** An http canary token issued on the lab's master (not planted). */
export interface SwarmLabToken {
  uuid: string;
  callback_token: string;
}

/**
 * Issues an http canary token through the master's API, for calls on the
 * agents' canary listeners (they learn it from the master).
 *
 * @example
 * ```ts
 * import type { AdminApi } from "./sign_in_admin.ts";
 * import { issueLabToken } from "./swarm_lab_canary.ts";
 * declare const admin: AdminApi;
 * const token = await issueLabToken(admin);
 * ```
 */
export async function issueLabToken(admin: AdminApi): Promise<SwarmLabToken> {
  return await admin.post<SwarmLabToken>("/api/v1/canary/tokens", {
    kind: "http",
    generator: "env_file",
    deploy: false,
  });
}

/**
 * Calls `token` on `agent`'s canary listener (port 8088 on its LAN address)
 * from the agent's namespace, once per n in [from, from + count), each call
 * with `?n=<n>` so every stored trigger says which call it was. One curl
 * process makes all calls in turn over one connection.
 *
 * @returns curl's exit code (0: every call was answered)
 * @example
 * ```ts
 * import type { SwarmLabAgent } from "./swarm_lab.ts";
 * import { callLabToken } from "./swarm_lab_canary.ts";
 * declare const agent: SwarmLabAgent;
 * await callLabToken(agent, { uuid: "", callback_token: "AAAA" }, 0, 100);
 * ```
 */
export async function callLabToken(
  agent: SwarmLabAgent,
  token: SwarmLabToken,
  from: number,
  count: number,
): Promise<number> {
  const file = `${agent.home}/calls-${from}.curl`;
  const base = `http://${agent.address}:8088/c/${token.callback_token}`;
  const lines: string[] = [];
  for (let n = from; n < from + count; n++) {
    lines.push(`url = "${base}?n=${n}"`, 'output = "/dev/null"');
  }
  await Deno.writeTextFile(file, lines.join("\n") + "\n");
  try {
    const out = await agent.run([findBinary("curl")!, "-s", "--max-time", "60", "-K", file]);
    return out.code;
  } finally {
    await Deno.remove(file);
  }
}

/**
 * Every trigger of `token` the master's API lists (all pages), as the `n`
 * of each call (see {@linkcode callLabToken}); calls without one are -1.
 *
 * @example
 * ```ts
 * import type { AdminApi } from "./sign_in_admin.ts";
 * import { labTokenCalls } from "./swarm_lab_canary.ts";
 * declare const admin: AdminApi;
 * const ns = await labTokenCalls(admin, "0b5e…");
 * ```
 */
export async function labTokenCalls(admin: AdminApi, uuid: string): Promise<number[]> {
  const calls: number[] = [];
  for (let offset = 0;; offset += 500) {
    const { items } = await admin.get<{ items: { request_path: string | null }[] }>(
      `/api/v1/canary/tokens/${uuid}/triggers?limit=500&offset=${offset}`,
    );
    for (const item of items) {
      const m = item.request_path?.match(/[?&]n=(\d+)/);
      calls.push(m ? Number(m[1]) : -1);
    }
    if (items.length < 500) return calls;
  }
}

/**
 * The trigger count the master's API shows for `token` (every stored call).
 *
 * @example
 * ```ts
 * import type { AdminApi } from "./sign_in_admin.ts";
 * import { labTokenTriggerCount } from "./swarm_lab_canary.ts";
 * declare const admin: AdminApi;
 * await labTokenTriggerCount(admin, "0b5e…");
 * ```
 */
export async function labTokenTriggerCount(admin: AdminApi, uuid: string): Promise<number> {
  return (await admin.get<{ trigger_count: number }>(`/api/v1/canary/tokens/${uuid}`))
    .trigger_count;
}
