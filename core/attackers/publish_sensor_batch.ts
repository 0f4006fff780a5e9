import type { Bus } from "../bus/mod.ts";
import { attackerTopic, serviceEventTopic } from "../bus/mod.ts";
import type { StoredSensorBatch } from "../db/mod.ts";
import { attackerView, credentialEvent, serviceEventView } from "./attacker_views.ts";

/**
 * After a sensor batch's commit, best effort: publishes each service event
 * stored, each attacker created or grown, and each new credential.
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/mod.ts";
 * import type { StoredSensorBatch } from "../db/mod.ts";
 * import { publishSensorBatch } from "./publish_sensor_batch.ts";
 * declare const bus: Bus;
 * declare const stored: StoredSensorBatch;
 * publishSensorBatch(bus, stored);
 * ```
 */
export function publishSensorBatch(bus: Bus, stored: StoredSensorBatch): void {
  for (const row of stored.events) {
    bus.publish(serviceEventTopic(row.decky, row.service), serviceEventView(row));
  }
  const byIp = new Map(stored.attackers.map((a) => [a.ip, a.id]));
  for (const attacker of stored.attackers) {
    bus.publish(attackerTopic(attacker.id, "observed"), attackerView(attacker));
  }
  for (const credential of stored.newCredentials) {
    const id = byIp.get(credential.last_src_ip);
    if (id !== undefined) {
      bus.publish(attackerTopic(id, "credential"), credentialEvent(credential, id));
    }
  }
}
