/**
 * Decoy protocol sensors: each service answers like the real server it
 * imitates and records what clients do as JSON events on stdout, the only
 * way out of a decky (no control-plane credential, no path to it).
 *
 * @module
 */
export { ConnReader, LineTooLongError } from "./conn_reader.ts";
export type { ByteSource } from "./conn_reader.ts";
export { jsonLinesSink } from "./json_lines_sink.ts";
export type { SyncWriter } from "./json_lines_sink.ts";
export {
  SENSOR_EVENT_KINDS,
  SENSOR_EVENT_VERSION,
  SENSOR_SERVICES,
  SERVICE_PORTS,
} from "./sensor_event.ts";
export type {
  CredentialFields,
  SecretKind,
  SensorEvent,
  SensorEventKind,
  SensorServiceName,
} from "./sensor_event.ts";
export type { AcceptedCredential, SensorServiceOptions } from "./sensor_options.ts";
export type { SensorEndpoint, SensorService, SensorSession } from "./sensor_service.ts";
export { MAX_SENSOR_LINE, parseSensorEvent } from "./parse_sensor_event.ts";
export { SENSOR_REGISTRY } from "./sensor_registry.ts";
export { serveSensor } from "./serve_sensor.ts";
export type {
  SensorEventSink,
  SensorServer,
  SensorServiceEntry,
  ServeSensorOptions,
} from "./serve_sensor.ts";
