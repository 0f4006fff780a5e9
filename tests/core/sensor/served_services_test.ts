import assert from "node:assert/strict";
import { SERVED_SERVICES } from "../../../core/sensor/served_services.ts";
import { SENSOR_REGISTRY } from "../../../core/sensor/sensor_registry.ts";

Deno.test("SERVED_SERVICES names exactly the services SENSOR_REGISTRY serves", () => {
  assert.deepEqual([...SERVED_SERVICES].sort(), Object.keys(SENSOR_REGISTRY).sort());
});
