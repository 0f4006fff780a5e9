import { type DeckyStatePayload, deckyStateTopic } from "../bus/mod.ts";
import type { Bus } from "../bus/mod.ts";
import type { Logger } from "../log/mod.ts";

/** One decky's change of state on a swarm host (`from` null: new; `to` torn_down: removed). */
export interface DeckyChange {
  name: string;
  from: string | null;
  to: string;
}

/**
 * Publishes `decky.<host:name>.state` for each change of a swarm host's
 * fleet rows; a refused publish is logged, not thrown (the rows are written).
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/mod.ts";
 * import type { Logger } from "../log/mod.ts";
 * import { publishDeckyChanges } from "./publish_decky_changes.ts";
 * declare const bus: Bus;
 * declare const log: Logger;
 * publishDeckyChanges({ bus, log }, "dmz-1", [{ name: "ws-01", from: "running", to: "torn_down" }], "2026-12-01T10:00:00.000Z");
 * ```
 */
export function publishDeckyChanges(
  deps: { bus: Bus; log: Logger },
  host: string,
  changes: readonly DeckyChange[],
  at: string,
): void {
  for (const change of changes) {
    const payload: DeckyStatePayload = {
      host_uuid: host,
      decky: change.name,
      from: change.from,
      to: change.to,
      at,
    };
    try {
      deps.bus.publish(deckyStateTopic(host, change.name), payload);
    } catch (e) {
      deps.log.warn("cannot publish decky state", { host, decky: change.name, error: e });
    }
  }
}
