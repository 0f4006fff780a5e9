/**
 * The attacker side of the collector: canary journal ingest, sensor log
 * ingest, TCP fingerprints from the sniffer, and the views of attackers,
 * credentials and service events.
 *
 * @module
 */
export {
  attackerView,
  credentialEvent,
  credentialView,
  serviceEventView,
} from "./attacker_views.ts";
export type { CredentialView } from "./attacker_views.ts";
export { listSensorContainers, SENSOR_ROLE } from "./list_sensor_containers.ts";
export { recordTcpFingerprint } from "./record_tcp_fingerprint.ts";
export type { RecordTcpFingerprintDeps } from "./record_tcp_fingerprint.ts";
export { SensorLogIngest } from "./sensor_log_ingest.ts";
export type {
  SensorContainer,
  SensorLogIngestOptions,
  SensorLogIngestStats,
} from "./sensor_log_ingest.ts";
