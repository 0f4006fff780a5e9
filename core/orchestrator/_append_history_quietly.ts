// Folder-private: a shell-history append whose failure only costs realism.
import { errorText } from "../log/mod.ts";
import type { RunningDecky } from "../db/mod.ts";
import type { TickContext } from "./_tick_context.ts";
import { fileContainerFor } from "./file_container_for.ts";

/** Appends to the user's shell history; a failure only costs realism, so it is logged. */
export async function appendHistoryQuietly(
  ctx: TickContext,
  decky: RunningDecky,
  login: string,
  lines: string[],
): Promise<void> {
  try {
    const r = await ctx.opsFor(decky).appendHistory(fileContainerFor(decky)!, {
      login,
      lines,
      signal: ctx.signal,
    });
    if (!r.ok) ctx.log.debug("history not appended", { decky: decky.name, error: r.stderr });
  } catch (e) {
    ctx.log.debug("history not appended", { decky: decky.name, error: errorText(e) });
  }
}
