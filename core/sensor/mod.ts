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
export { SERVICE_LOG_FORMATS } from "./service_log_formats.ts";
export type { ServiceLogFormat } from "./service_log_formats.ts";
export { SENSOR_REGISTRY } from "./sensor_registry.ts";
export { SERVED_SERVICES } from "./served_services.ts";
export { serveSensor } from "./serve_sensor.ts";
export type {
  SensorEventSink,
  SensorServer,
  SensorServiceEntry,
  ServeSensorOptions,
} from "./serve_sensor.ts";
export { parseSensorOptions, SENSOR_OPTION_KEYS } from "./parse_sensor_options.ts";
export type { SensorOptionKey } from "./parse_sensor_options.ts";
export { parseSensorPlan } from "./sensor_plan.ts";
export type { ParseSensorPlanOptions, SensorPlan } from "./sensor_plan.ts";
export { sensorPermissions } from "./sensor_permissions.ts";
export type { SensorPermissions, SensorPermissionsOptions } from "./sensor_permissions.ts";
export { runSensor } from "./run_sensor.ts";
export type { RunSensorOptions } from "./run_sensor.ts";
export { runSensorWorkerThread, SENSOR_WORKER_NAME } from "./sensor_worker_thread.ts";
export type { FromSensorMessage, ToSensorMessage } from "./sensor_worker_thread.ts";
export {
  isSensorImage,
  SENSOR_CACHE_DIR,
  SENSOR_CACHE_FILES,
  SENSOR_CONTROL_DIR,
  SENSOR_IMAGE_REPO,
  SENSOR_MAIL_SPOOL,
  SENSOR_PROGRAM_PATH,
  SENSOR_RUNTIME_PATH,
  SENSOR_SECRETS_DIR,
  SENSOR_USER,
  sensorImageChanges,
  sensorImageEntries,
  sensorRuntimeArgs,
} from "./sensor_image.ts";
export type { SensorImageEntriesOptions, SensorProgram } from "./sensor_image.ts";
export {
  buildSensorImage,
  elfInterpreter,
  loadedLibraries,
  sensorProgramOf,
} from "./build_sensor_image.ts";
export type { BuildSensorImageOptions } from "./build_sensor_image.ts";
export { warmSensorCache } from "./warm_sensor_cache.ts";
export type { WarmSensorCacheOptions } from "./warm_sensor_cache.ts";
export { generateRelayKey } from "./generate_relay_key.ts";
export { watchSensorControl } from "./watch_sensor_control.ts";
export type { SensorControlHandlers, WatchSensorControlOptions } from "./watch_sensor_control.ts";
export type { RelayKey } from "./generate_relay_key.ts";
