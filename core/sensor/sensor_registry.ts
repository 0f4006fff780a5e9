import type { SensorServiceName } from "./sensor_event.ts";
import type { SensorService } from "./sensor_service.ts";
import { lineService } from "../../tests/core/sensor/_line_service.ts";
export const SENSOR_REGISTRY: Readonly<Partial<Record<SensorServiceName, SensorService>>> = Object
  .freeze({ telnet: lineService });
