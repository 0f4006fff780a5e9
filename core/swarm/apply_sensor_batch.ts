import { publishSensorBatch } from "../attackers/publish_sensor_batch.ts";
import type { JsonValue } from "../bus/mod.ts";
import type { SensorLogPosition } from "../db/mod.ts";
import { SensorCursorMovedError } from "../db/mod.ts";
import type { SensorEvent } from "../sensor/sensor_event.ts";
import { parseSensorEvent } from "../sensor/parse_sensor_event.ts";
import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
import { listField, logPositionField, positionListField } from "./batch_position_fields.ts";
import { type BatchStanding, batchToApply, compareLogPositions } from "./batch_standing.ts";

/**
 * Stores one agent's sensor batch as the local collector stores a sensor
 * container's log: service events, attackers and credentials with the
 * cursor of container `<host>/<id>` in one transaction, then the same bus
 * messages. An event that is not a valid sensor event counts as a bad line.
 * A batch that overlaps the stored cursor (its agent lost its own) is taken
 * up from the cursor by where each event's line is (`positions`).
 *
 * @throws {TypeError} naming a bad field
 * @example
 * ```ts
 * import type { ApplyAgentEventDeps } from "./apply_agent_event.ts";
 * import { applySensorBatch } from "./apply_sensor_batch.ts";
 * declare const deps: ApplyAgentEventDeps;
 * const at = { logTime: "", linesAtTime: 0 };
 * await applySensorBatch(deps, "dmz-1", { container: "3f2a", decky: "web01", from: at, to: at, events: [], bad_lines: 0 });
 * ```
 */
export async function applySensorBatch(
  deps: ApplyAgentEventDeps,
  host: string,
  fields: { [key: string]: JsonValue },
): Promise<BatchStanding> {
  const { container: id, decky, bad_lines: badLines } = fields;
  if (typeof id !== "string" || !/^[A-Za-z0-9_.-]{1,128}$/.test(id)) {
    throw new TypeError("Bad agent batch: container must be a container id");
  }
  if (typeof decky !== "string" || decky.length === 0 || decky.length > 64) {
    throw new TypeError("Bad agent batch: decky must be a decky name");
  }
  if (!Number.isSafeInteger(badLines) || (badLines as number) < 0) {
    throw new TypeError("Bad agent batch: bad_lines must be a whole number >= 0");
  }
  const from = logPositionField(fields, "from");
  const to = logPositionField(fields, "to");
  const values = listField(fields, "events");
  const sent = positionListField<SensorLogPosition>(fields, "positions", values.length, "log");
  const events: SensorEvent[] = [];
  const positions: SensorLogPosition[] = [];
  let bad = badLines as number;
  for (const [i, value] of values.entries()) {
    const parsed = parseSensorEvent(JSON.stringify(value));
    if (parsed.ok && parsed.event.decky === decky) {
      events.push(parsed.event);
      if (sent) positions.push(sent[i]);
    } else bad++;
  }
  const container = `${host}/${id}`;
  const { attackers } = deps.repos;
  const stored = await attackers.logCursor(container);
  const plan = batchToApply(
    stored,
    { from, to, items: events, positions: sent && positions },
    compareLogPositions,
  );
  if (plan.standing !== "next") return plan.standing;
  if (plan.takenUp) {
    // The bad lines cannot be placed: counted with the first cut only.
    bad = 0;
    deps.log.warn("swarm batch taken up from the stored cursor", { host, container });
  }
  const { start, items: rest } = plan;
  try {
    const batch = await attackers.storeSensorBatch({
      container,
      decky,
      from: start,
      to,
      events: rest,
      badLines: bad,
      isBenign: await deps.isBenign(),
      host,
    });
    publishSensorBatch(deps.bus, batch);
    if (bad > 0) {
      deps.log.warn("sensor lines that are not events skipped", { host, decky, count: bad });
    }
    return "next";
  } catch (e) {
    if (e instanceof SensorCursorMovedError) return "pending";
    throw e;
  }
}
