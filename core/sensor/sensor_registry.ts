import type { SensorServiceName } from "./sensor_event.ts";
import type { SensorService } from "./sensor_service.ts";

/**
 * The decoy protocols this build serves, by name. A name absent here is not
 * offered: the fleet file then needs an operator image for that service.
 */
export const SENSOR_REGISTRY: Readonly<Partial<Record<SensorServiceName, SensorService>>> = Object
  .freeze({});
