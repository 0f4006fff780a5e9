import { type DeckyStatePayload, deckyStateTopic } from "../bus/mod.ts";
import type { FleetContext } from "./fleet_context.ts";

/** Publishes `decky.<host:name>.state` (best effort: a failed publish is logged). */
export function publishDeckyState(
  context: FleetContext,
  change: { name: string; from: string | null; to: string },
): void {
  if (!context.bus) return;
  const payload: DeckyStatePayload = {
    host_uuid: context.hostUuid,
    decky: change.name,
    from: change.from,
    to: change.to,
    at: context.now().toISOString(),
  };
  try {
    context.bus.publish(deckyStateTopic(context.hostUuid, change.name), payload);
  } catch (e) {
    context.log.warn("cannot publish decky state", { decky: change.name, error: e });
  }
}
