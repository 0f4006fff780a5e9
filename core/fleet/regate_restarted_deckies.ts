import { isSensorImage } from "../sensor/sensor_image.ts";
import type { FleetContext } from "./fleet_context.ts";
import { gateFleetSshPort } from "./gate_fleet_ssh_port.ts";

/**
 * Puts the fleet port's gate back on every running decky whose ssh its
 * sensor serves and whose base container has started (Docker's `StartedAt`)
 * since `gatedAt` last recorded it: a base restarted by Docker (restart
 * policy, daemon restart) gets a new network namespace, without the rules.
 * No peer is let through; the orchestrator adds its source before each
 * session. An empty `gatedAt` (a fresh reconciler) gates every such decky
 * once; the rules are idempotent and peers already let through stay.
 * Failures are logged per decky and retried on the next call.
 *
 * @param context the fleet context (state file, Docker, log)
 * @param gatedAt decky name to the `StartedAt` of its base when last gated; updated
 * @returns how many deckies were gated
 * @throws when the state file cannot be read
 * @example
 * ```ts
 * import type { FleetContext } from "./fleet_context.ts";
 * declare const context: FleetContext;
 * const gatedAt = new Map<string, string>();
 * await regateRestartedDeckies(context, gatedAt); // 1: ws-02's base restarted
 * ```
 */
export async function regateRestartedDeckies(
  context: FleetContext,
  gatedAt: Map<string, string>,
): Promise<number> {
  const gated = (await context.stateFile.read()).filter((d) => isSensorImage(d.images.ssh));
  const names = new Set(gated.map((d) => d.name));
  for (const name of gatedAt.keys()) if (!names.has(name)) gatedAt.delete(name);
  let count = 0;
  for (const { name } of gated) {
    try {
      // The base container is named after the decky (see deployFleet).
      const base = await context.docker.inspectContainer(name);
      if (!base?.running || gatedAt.get(name) === base.startedAt) continue;
      const port = await gateFleetSshPort(context.docker, name);
      gatedAt.set(name, base.startedAt);
      count++;
      context.log.info("ssh fleet port gated again (base started)", {
        decky: name,
        started_at: base.startedAt,
        port,
      });
    } catch (e) {
      context.log.warn("ssh fleet port not gated again", { decky: name, error: e });
    }
  }
  return count;
}
