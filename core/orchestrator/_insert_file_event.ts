import type { RunningDecky } from "../db/mod.ts";
import type { TickContext } from "./_tick_context.ts";

/**
 * Records a file tick's event row on `decky` (files and cron jobs alike:
 * both are `kind: "file"` written into the decky, with no source decky).
 */
export async function insertFileEvent(
  ctx: TickContext,
  decky: RunningDecky,
  outcome: { ok: boolean; error: string | null; payload: Record<string, unknown> },
): Promise<void> {
  await ctx.repos.orchestrator.insertEvent({
    ts: ctx.now.toISOString(),
    kind: "file",
    src_decky_uuid: null,
    src_decky_name: null,
    dst_decky_uuid: decky.uuid,
    dst_decky_name: decky.name,
    success: outcome.ok ? 1 : 0,
    payload: JSON.stringify(outcome.payload),
    error: outcome.error,
  });
}
