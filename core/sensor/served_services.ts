import type { SensorServiceName } from "./sensor_event.ts";

/**
 * The services this build's sensor serves: the names of SENSOR_REGISTRY,
 * kept apart so that reading a fleet file does not load every protocol and
 * its libraries (a test holds the two equal).
 */
export const SERVED_SERVICES: readonly SensorServiceName[] = Object.freeze([
  "ftp",
  "http",
  "imap",
  "mysql",
  "pop3",
  "rdp",
  "smb",
  "ssh",
  "telnet",
]);
