import { resolve } from "node:path";
import { CliError } from "./cli_error.ts";

/** Where a running systemd announces itself (sd_booted(3)). */
const SYSTEMD_RUNNING = "/run/systemd/system";

/**
 * Runs `systemctl daemon-reload` so systemd reads the units just written: as
 * root, on the live system (prefix /) and only when systemd runs there.
 * Returns the line to print: what was done, or why not and what to do.
 *
 * @throws {CliError} when systemctl fails, with its message
 * @example
 * ```ts
 * const line = await reloadSystemd("/");
 * ```
 */
export async function reloadSystemd(prefix: string): Promise<string> {
  if (resolve(prefix) !== "/") {
    return "note     staging root: run systemctl daemon-reload on the host that boots it";
  }
  if (Deno.uid() !== 0) return "note     not root: run systemctl daemon-reload as root";
  try {
    await Deno.stat(SYSTEMD_RUNNING);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    return "note     systemd is not running here: nothing to reload";
  }
  let out;
  try {
    out = await new Deno.Command("systemctl", {
      args: ["daemon-reload"],
      stdout: "null",
      stderr: "piped",
    }).output();
  } catch (e) {
    // NotCapable: a compiled decnet carries no run permission.
    if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotCapable)) throw e;
    return "note     could not start systemctl: run systemctl daemon-reload";
  }
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).trim();
    throw new CliError(`systemctl daemon-reload failed (exit ${out.code}): ${why}`);
  }
  return "reloaded systemd (systemctl daemon-reload)";
}
