// Single files, not the folder's mod.ts: that carries every protocol and its libraries.
import type { SensorEvent, SensorServiceName } from "../sensor/sensor_event.ts";
import { SENSOR_EVENT_VERSION } from "../sensor/sensor_event.ts";
import { parseSensorEvent } from "../sensor/parse_sensor_event.ts";
import type { ServiceLogFormat } from "../sensor/service_log_formats.ts";

/** Where a log line came from, for the envelope fields the line itself lacks. */
export interface ServiceLogContext {
  decky: string;
  service: SensorServiceName;
  /** The port the service listens on. */
  port: number;
  /** When Docker logged the line (ISO 8601). */
  time: string;
}

/** A line that became an event, one that is not an event (skipped), or a bad line. */
export type ServiceLogResult =
  | { ok: true; event: SensorEvent }
  | { ok: true; event: null }
  | { ok: false; error: string };

// Debian's sshd under `-e -o LogLevel=VERBOSE`: messages with or without a syslog prefix.
const SYSLOG_PREFIX_REGEXP = /^(?:\S+\s+){0,5}?sshd(?:-session)?(?:\[\d+\])?:\s+/;
const ADDR = String.raw`(\S+) port (\d+)`;
const OPENSSH_RULES: readonly [RegExp, (m: RegExpExecArray) => Record<string, unknown>][] = [
  [new RegExp(`^Connection from ${ADDR} on (\\S+) port (\\d+)`), (m) => ({
    kind: "connect",
    ip: m[1],
    port: m[2],
    dst_port: Number(m[4]),
  })],
  [
    new RegExp(
      `^(Accepted|Failed) (password|publickey|keyboard-interactive/pam) for (invalid user )?(\\S*) from ${ADDR} ssh2(?:: (\\S+) (\\S+))?`,
    ),
    (m) => ({
      kind: m[1] === "Accepted" ? "auth_success" : "auth_attempt",
      username: m[4],
      method: m[2],
      accepted: m[1] === "Accepted",
      ip: m[5],
      port: m[6],
      ...(m[7] ? { key_type: m[7], key_fingerprint: m[8] } : {}),
      ...(m[3] ? { invalid_user: true } : {}),
    }),
  ],
  [new RegExp(`^Invalid user (\\S*) from ${ADDR}`), (m) => ({
    kind: "auth_attempt",
    username: m[1],
    method: "none",
    accepted: false,
    invalid_user: true,
    ip: m[2],
    port: m[3],
  })],
  [
    new RegExp(
      `^(?:Received disconnect from|Disconnected from(?: (?:invalid |authenticating )?user \\S+)?|Connection closed by(?: (?:invalid |authenticating )?user \\S+)?) ${ADDR}`,
    ),
    (m) => ({ kind: "disconnect", ip: m[1], port: m[2] }),
  ],
  [new RegExp(`^banner exchange: Connection from ${ADDR}: (.*)$`), (m) => ({
    kind: "request",
    ip: m[1],
    port: m[2],
    detail: m[3],
  })],
];

// nginx's `combined` format.
const NGINX_REGEXP =
  /^(\S+) - (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * One log line of a service container as a sensor event: `json` lines are
 * already events; `openssh` (sshd -e, LogLevel VERBOSE) and `nginx`
 * (combined) lines are read into the same envelope. Lines that carry nothing
 * an attacker did (startup notices) come back as `event: null`.
 *
 * @example
 * ```ts
 * const r = parseServiceLog("openssh", "Failed password for root from 192.0.2.9 port 40000 ssh2", {
 *   decky: "ws-01", service: "ssh", port: 22, time: "2026-12-01T10:00:00.000Z",
 * });
 * // r.ok && r.event?.kind === "auth_attempt"
 * ```
 */
export function parseServiceLog(
  format: ServiceLogFormat,
  line: string,
  context: ServiceLogContext,
): ServiceLogResult {
  if (format === "json") return parseSensorEvent(line);
  return format === "openssh" ? parseOpenssh(line, context) : parseNginx(line, context);
}

function parseOpenssh(line: string, context: ServiceLogContext): ServiceLogResult {
  const message = line.replace(SYSLOG_PREFIX_REGEXP, "").trim();
  for (const [rule, read] of OPENSSH_RULES) {
    const m = rule.exec(message);
    if (!m) continue;
    const { ip, port, dst_port, ...fields } = read(m);
    const srcPort = Number(port);
    if (typeof ip !== "string" || !Number.isInteger(srcPort)) break;
    return {
      ok: true,
      event: {
        ...fields,
        v: SENSOR_EVENT_VERSION,
        time: context.time,
        decky: context.decky,
        service: context.service,
        kind: fields.kind as SensorEvent["kind"],
        src_ip: ip,
        src_port: srcPort,
        dst_port: typeof dst_port === "number" ? dst_port : context.port,
        // sshd names no session: the client's address and port is one connection.
        session: `${ip}:${srcPort}`,
      },
    };
  }
  return { ok: true, event: null };
}

function parseNginx(line: string, context: ServiceLogContext): ServiceLogResult {
  const m = NGINX_REGEXP.exec(line);
  if (!m) return { ok: false, error: "not an nginx combined log line" };
  const [, ip, user, timeLocal, request, status, bytes, referer, agent] = m;
  const [method, path, protocol] = request.split(" ");
  const time = nginxTime(timeLocal) ?? context.time;
  return {
    ok: true,
    event: {
      v: SENSOR_EVENT_VERSION,
      time,
      decky: context.decky,
      service: context.service,
      kind: "request",
      src_ip: ip,
      // The combined format has no client port.
      src_port: 0,
      dst_port: context.port,
      session: `${ip}@${time}`,
      method: path === undefined ? "" : method,
      path: path ?? request,
      ...(protocol ? { protocol } : {}),
      status: Number(status),
      bytes: bytes === "-" ? 0 : Number(bytes),
      ...(user !== "-" ? { username: user } : {}),
      ...(referer !== "-" ? { referer } : {}),
      ...(agent !== "-" ? { user_agent: agent } : {}),
    },
  };
}

/** `01/Dec/2026:10:00:00 +0100` as ISO 8601 UTC; undefined when it is not that shape. */
function nginxTime(text: string): string | undefined {
  const m = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(text);
  const month = m ? MONTHS.indexOf(m[2]) : -1;
  if (!m || month < 0) return undefined;
  const offsetMin = (m[7] === "-" ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  return new Date(utc - offsetMin * 60_000).toISOString();
}
