import type { JsonValue } from "../bus/mod.ts";
import type {
  AttackersRepository,
  SensorLogBatch,
  SensorLogPosition,
  StoredSensorBatch,
} from "../db/mod.ts";
import { SensorCursorMovedError } from "../db/mod.ts";
import type { AgentBatchOutbox } from "./agent_batch_outbox.ts";

/** Kind of the agent event holding one batch of a sensor container's log. */
export const SENSOR_BATCH_KIND = "sensor_batch";

const START: SensorLogPosition = { logTime: "", linesAtTime: 0 };

/**
 * The sensor log ingest's repository on a swarm agent: each batch of a
 * container's log goes to JetStream as one `sensor_batch` event, and the
 * container's cursor moves once JetStream has it. Which sources are benign
 * is the master's to decide (it knows every host's deckies), so the
 * batch's `isBenign` is not sent.
 *
 * @example
 * ```ts
 * import type { AgentBatchOutbox } from "./agent_batch_outbox.ts";
 * import { AgentSensorLogs } from "./agent_sensor_logs.ts";
 * declare const outbox: AgentBatchOutbox;
 * const logs = new AgentSensorLogs(outbox);
 * await logs.logCursor("3f2a…"); // { logTime: "", linesAtTime: 0 } at first
 * ```
 */
export class AgentSensorLogs
  implements Pick<AttackersRepository, "logCursor" | "storeSensorBatch"> {
  readonly #outbox: AgentBatchOutbox;

  constructor(outbox: AgentBatchOutbox) {
    this.#outbox = outbox;
  }

  logCursor(container: string): Promise<SensorLogPosition> {
    return this.#outbox.cursor(container, START);
  }

  /**
   * Sends the batch; stores nothing here.
   *
   * @throws {SensorCursorMovedError} when the container's cursor is not at `from`
   */
  async storeSensorBatch(batch: SensorLogBatch): Promise<StoredSensorBatch> {
    await this.#outbox.send({
      key: batch.container,
      kind: SENSOR_BATCH_KIND,
      from: batch.from,
      to: batch.to,
      fields: {
        container: batch.container,
        decky: batch.decky,
        events: batch.events as unknown as JsonValue[],
        // Where each event's line is: the master can take the batch up from the middle.
        positions: (batch.positions ?? []) as unknown as JsonValue[],
        bad_lines: batch.badLines,
      },
      moved: () => new SensorCursorMovedError(batch.container),
    }, START);
    return { events: [], attackers: [], newCredentials: [] };
  }
}
