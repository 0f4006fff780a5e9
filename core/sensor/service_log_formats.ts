/**
 * Log formats of operator-supplied service images the collector reads into
 * sensor events (`log.<service>` in the fleet file): `json` lines already
 * in the envelope, OpenSSH's `sshd -e` at LogLevel VERBOSE, nginx's
 * `combined` access log.
 */
export const SERVICE_LOG_FORMATS = ["json", "openssh", "nginx"] as const;

/** One of {@linkcode SERVICE_LOG_FORMATS}. */
export type ServiceLogFormat = typeof SERVICE_LOG_FORMATS[number];
