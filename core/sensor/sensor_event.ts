/**
 * Version of the event envelope a sensor writes; the collector refuses lines
 * of a version it does not know rather than guessing at their fields.
 */
export const SENSOR_EVENT_VERSION = 1;

/** The decoy protocols a sensor serves. */
export const SENSOR_SERVICES = [
  "ssh",
  "imap",
  "pop3",
  "smb",
  "http",
  "mysql",
  "rdp",
  "ftp",
  "telnet",
] as const;

/** One of {@linkcode SENSOR_SERVICES}. */
export type SensorServiceName = typeof SENSOR_SERVICES[number];

/** The well-known port of each service (a sensor's default, and what operator logs mean). */
export const SERVICE_PORTS: Readonly<Record<SensorServiceName, number>> = Object.freeze({
  ssh: 22,
  imap: 143,
  pop3: 110,
  smb: 445,
  http: 80,
  mysql: 3306,
  rdp: 3389,
  ftp: 21,
  telnet: 23,
});

/** What happened, in the order a session usually meets them. */
export const SENSOR_EVENT_KINDS = [
  "connect",
  "auth_attempt",
  "auth_success",
  "command",
  "request",
  "file_transfer",
  "credential",
  "disconnect",
] as const;

/** One of {@linkcode SENSOR_EVENT_KINDS}. */
export type SensorEventKind = typeof SENSOR_EVENT_KINDS[number];

/** How a captured secret is encoded (the upstream project's values). */
export type SecretKind =
  | "password"
  | "ntlmssp_v1"
  | "ntlmssp_v2"
  | "ssh_pubkey"
  | "http_basic"
  | "mysql_native";

/**
 * Fields of a `credential` event: what was offered, and for hashes the line
 * hashcat takes (`hashcat_mode` names its mode, e.g. 5600 for NetNTLMv2).
 */
export interface CredentialFields {
  username: string;
  secret_kind: SecretKind;
  /** The secret itself (password) or its wire material (hex scramble, key). */
  secret: string;
  domain?: string;
  hashcat_mode?: number;
  hashcat_line?: string;
}

/**
 * The one envelope every sensor event shares, as written to stdout (one JSON
 * object per line, snake_case). Kind-specific fields sit beside the envelope.
 */
export interface SensorEvent {
  v: typeof SENSOR_EVENT_VERSION;
  /** ISO 8601 UTC. */
  time: string;
  decky: string;
  service: SensorServiceName;
  kind: SensorEventKind;
  src_ip: string;
  src_port: number;
  dst_port: number;
  /** Unique per connection; every event of one connection carries it. */
  session: string;
  [field: string]: unknown;
}
