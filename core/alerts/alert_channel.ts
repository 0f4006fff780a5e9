import { isIP } from "node:net";
import { z } from "zod";
import type { Alert } from "./alert.ts";

/** Channel types, as the API and the outbox name them. */
export const CHANNEL_TYPES = ["syslog", "smtp", "webhook", "file"] as const;

/** One of {@linkcode CHANNEL_TYPES}. */
export type ChannelType = typeof CHANNEL_TYPES[number];

/** Default for every network channel's `timeout_ms`. */
export const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;

/** Settings every channel type has. */
export interface ChannelCommonConfig {
  /** Send captured passwords and hashes in full (a SIEM may need them); masked otherwise. @default false */
  include_secrets: boolean;
  /**
   * Also take the full event stream: every service event, canary trigger,
   * TCP fingerprint, campaign and decky state change as an `event` alert,
   * not only rule hits (e.g. for a SIEM). @default false
   */
  event_stream?: boolean;
  /** Also take every audit log entry (operator actions) as an `audit` alert. @default false */
  audit_log?: boolean;
}

/** Settings of a network channel. */
export interface NetworkChannelConfig extends ChannelCommonConfig {
  /** Give up on one delivery (connect, handshake, reply) after this long. @default 10000 */
  timeout_ms: number;
}

/** RFC 5424 syslog to a SIEM. */
export interface SyslogChannelConfig extends NetworkChannelConfig {
  type: "syslog";
  /** `udp` (RFC 5426), `tcp` (RFC 6587 octet counting) or `tls` (RFC 5425). */
  transport: "udp" | "tcp" | "tls";
  /** Host name or IP literal (no brackets); an IP literal for `udp`. */
  host: string;
  port: number;
  /** Message body: JSON of the alert, or an ArcSight CEF record. @default "json" */
  format: "json" | "cef";
  /** Syslog facility name (`local0`...`local7`, `auth`, `authpriv`, `security`, `user`, `daemon`). @default "local0" */
  facility: SyslogFacility;
  /** RFC 5424 APP-NAME. @default "decnet" */
  app_name: string;
  /** RFC 5424 HOSTNAME; `-` (the nil value) when unset. */
  hostname?: string;
  /** PEM file of the CA(s) that sign the collector's certificate (TLS); the system store when unset. */
  ca_file?: string;
  /** Name the collector's certificate must carry (TLS). @default host */
  server_name?: string;
}

/** Mail through a relay. */
export interface SmtpChannelConfig extends NetworkChannelConfig {
  type: "smtp";
  host: string;
  port: number;
  /** `required`: fail unless the relay offers STARTTLS; `optional`: use it when offered; `off`: never. @default "optional" */
  starttls: "required" | "optional" | "off";
  /** PEM file of the CA(s) that sign the relay's certificate; the system store when unset. */
  ca_file?: string;
  /** Name the relay's certificate must carry. @default host */
  server_name?: string;
  /** AUTH user; with `password`. Sent only over TLS. */
  username?: string;
  password?: string;
  /** AUTH mechanism; the first of PLAIN, LOGIN the relay offers when unset. */
  auth?: "plain" | "login";
  /** Envelope and header sender. */
  from: string;
  /** Recipients (envelope and `To:`). */
  to: string[];
  /** Name given in EHLO. @default "localhost" */
  helo: string;
}

/** An HTTP POST of the alert to a receiver. */
export interface WebhookChannelConfig extends NetworkChannelConfig {
  type: "webhook";
  /** `http(s)://host[:port]/path`; redirects are never followed. */
  url: string;
  /** Payload shape: the alert as JSON, or a chat message. @default "json" */
  format: "json" | "slack" | "teams" | "mattermost";
  /** HMAC-SHA256 key: when set, requests carry `X-Decnet-Signature` (see `webhookSignature`). */
  secret?: string;
  /** PEM file of the CA(s) that sign the receiver's certificate (`https` only); the system store when unset. */
  ca_file?: string;
}

/** JSON lines appended to a local file, for log shippers. */
export interface FileChannelConfig extends ChannelCommonConfig {
  type: "file";
  /** Absolute path; created (mode 0600) when missing. */
  path: string;
}

/** A channel's settings, by type. */
export type ChannelConfig =
  | SyslogChannelConfig
  | SmtpChannelConfig
  | WebhookChannelConfig
  | FileChannelConfig;

/** Syslog facility names and their RFC 5424 codes. */
export const SYSLOG_FACILITIES = Object.freeze({
  user: 1,
  daemon: 3,
  auth: 4,
  authpriv: 10,
  security: 13,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
});

/** One of the keys of {@linkcode SYSLOG_FACILITIES}. */
export type SyslogFacility = keyof typeof SYSLOG_FACILITIES;

const HOST_NAME_REGEXP =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
// A deliberately plain address: no display name, comments or quoting, nothing a header could be split on.
const MAIL_ADDRESS_REGEXP = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}$/;
// RFC 5424 PRINTUSASCII.
const PRINTABLE_REGEXP = /^[\x21-\x7e]+$/;

/** True when `value` holds a C0 control character or DEL (CR/LF would split SMTP commands). */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
const noControl = (v: string) => !hasControlCharacter(v);

const host = z.string().refine(
  (v) => isIP(v) !== 0 || HOST_NAME_REGEXP.test(v),
  "expected a host name or an IP address without brackets or port",
);
const port = z.int().min(1).max(65535);
const timeoutMs = z.int().min(100).max(120_000).default(DEFAULT_CHANNEL_TIMEOUT_MS);
const includeSecrets = z.boolean().default(false);
const feeds = { event_stream: z.boolean().default(false), audit_log: z.boolean().default(false) };
const absolutePath = z.string().max(4096).refine(
  (v) => v.startsWith("/") && !hasControlCharacter(v) && !v.split("/").includes(".."),
  "expected an absolute path without '..' or control characters",
);
const mailAddress = z.string().regex(MAIL_ADDRESS_REGEXP, "expected a plain address user@domain");

const SYSLOG = z.strictObject({
  type: z.literal("syslog"),
  transport: z.enum(["udp", "tcp", "tls"]),
  host,
  port,
  format: z.enum(["json", "cef"]).default("json"),
  facility: z.enum(Object.keys(SYSLOG_FACILITIES) as [SyslogFacility, ...SyslogFacility[]])
    .default("local0"),
  app_name: z.string().max(48).regex(PRINTABLE_REGEXP, "expected printable ASCII without spaces")
    .default("decnet"),
  hostname: z.string().max(255).regex(PRINTABLE_REGEXP, "expected printable ASCII without spaces")
    .optional(),
  ca_file: absolutePath.optional(),
  server_name: host.optional(),
  timeout_ms: timeoutMs,
  include_secrets: includeSecrets,
  ...feeds,
}).refine((c) => c.transport !== "udp" || isIP(c.host) !== 0, {
  // Resolving a name for each datagram needs a DNS lookup Deno only grants with every port of
  // the host open: TCP and TLS resolve within their host:port permission.
  path: ["host"],
  message: "expected an IP address with transport udp (use tcp or tls for a host name)",
});

const SMTP = z.strictObject({
  type: z.literal("smtp"),
  host,
  port,
  starttls: z.enum(["required", "optional", "off"]).default("optional"),
  ca_file: absolutePath.optional(),
  server_name: host.optional(),
  username: z.string().min(1).max(256).refine(noControl, "expected no control characters")
    .optional(),
  password: z.string().min(1).max(1024).refine(noControl, "expected no control characters")
    .optional(),
  auth: z.enum(["plain", "login"]).optional(),
  from: mailAddress,
  to: z.array(mailAddress).min(1).max(50),
  helo: z.string().regex(HOST_NAME_REGEXP, "expected a host name").default("localhost"),
  timeout_ms: timeoutMs,
  include_secrets: includeSecrets,
  ...feeds,
}).refine((c) => (c.username === undefined) === (c.password === undefined), {
  path: ["password"],
  message: "username and password go together: set both or neither",
});

const WEBHOOK = z.strictObject({
  type: z.literal("webhook"),
  url: z.string().max(2048).superRefine((v, ctx) => {
    const problem = webhookUrlProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  format: z.enum(["json", "slack", "teams", "mattermost"]).default("json"),
  secret: z.string().min(16).max(1024).optional(),
  ca_file: absolutePath.optional(),
  timeout_ms: timeoutMs,
  include_secrets: includeSecrets,
  ...feeds,
}).refine((c) => c.ca_file === undefined || c.url.startsWith("https://"), {
  path: ["ca_file"],
  message: "expected an https:// url with ca_file",
});

const FILE = z.strictObject({
  type: z.literal("file"),
  path: absolutePath,
  include_secrets: includeSecrets,
  ...feeds,
});

/**
 * The request-body schema of a channel's settings (defaults filled in), for
 * API routes that validate with zod; {@linkcode parseChannelConfig} wraps it.
 */
export const CHANNEL_CONFIG_SCHEMA = z.discriminatedUnion("type", [SYSLOG, SMTP, WEBHOOK, FILE]);

/** One bad field of a channel's settings. */
export interface ChannelConfigIssue {
  /** Dotted path, e.g. `port` or `to.1`. */
  field: string;
  message: string;
}

/** Raised by {@linkcode parseChannelConfig} with every bad field at once. */
export class ChannelConfigError extends TypeError {
  readonly issues: readonly ChannelConfigIssue[];

  constructor(issues: ChannelConfigIssue[]) {
    super(`Invalid alert channel: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`);
    this.name = "ChannelConfigError";
    this.issues = Object.freeze([...issues]);
  }
}

/**
 * Checks a channel's settings (from the API, a file or the outbox) and fills
 * in defaults. Secret values (password, secret) are never quoted in errors.
 *
 * @param input untrusted JSON
 * @returns the settings, frozen
 * @throws {ChannelConfigError} naming each bad field and the value given
 * @example
 * ```ts
 * import { parseChannelConfig } from "./alert_channel.ts";
 * const c = parseChannelConfig({ type: "syslog", transport: "tcp", host: "siem.lan", port: 6514 });
 * c.type === "syslog" && c.format; // "json"
 * ```
 */
export function parseChannelConfig(input: unknown): ChannelConfig {
  const parsed = CHANNEL_CONFIG_SCHEMA.safeParse(input, { reportInput: true });
  if (parsed.success) return Object.freeze(parsed.data);
  throw new ChannelConfigError(parsed.error.issues.flatMap((issue): ChannelConfigIssue[] => {
    const field = issue.path.join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: field ? `${field}.${key}` : key,
        message: "unknown setting",
      }));
    }
    if (issue.code === "invalid_union") {
      return [{ field: "type", message: `expected one of ${CHANNEL_TYPES.join(", ")}` }];
    }
    // A check across fields has the whole channel as its input, secrets and all: never quoted.
    const quoted = QUOTED_ISSUES.has(issue.code) && !UNQUOTED_FIELDS.has(field) &&
      "input" in issue && issue.input !== undefined &&
      (typeof issue.input !== "object" || Array.isArray(issue.input));
    const got = quoted ? `, got ${JSON.stringify(issue.input)?.slice(0, 120)}` : "";
    return [{ field: field || "channel", message: `${issue.message}${got}` }];
  }));
}

// Issues about a value (not its absence or type) quote it, except values that may be secrets:
// a chat webhook's URL is its credential.
const QUOTED_ISSUES = new Set([
  "invalid_value",
  "too_big",
  "too_small",
  "custom",
  "invalid_format",
]);
const UNQUOTED_FIELDS = new Set(["password", "secret", "url"]);

/** Why `url` cannot be a webhook destination, or undefined when it can. */
function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "expected an absolute http:// or https:// URL";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return "expected an http:// or https:// URL";
  }
  if (parsed.username || parsed.password) {
    return "expected no user:password@ in the URL (use the channel's secret)";
  }
  const name = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (isIP(name) === 0 && !HOST_NAME_REGEXP.test(name)) return "expected a host name or IP address";
  return undefined;
}

/**
 * What a channel needs in Deno's `net` permission, so the alerts worker is
 * granted exactly these: the `host:port` it connects to (none for a file),
 * and for UDP syslog also the wildcard bind of its own socket on an
 * ephemeral port (`0.0.0.0:0`, or `[::]:0` for an IPv6 collector), which
 * Deno checks like a destination.
 *
 * @example
 * ```ts
 * import { channelDestinations } from "./alert_channel.ts";
 * import { parseChannelConfig } from "./alert_channel.ts";
 * channelDestinations(parseChannelConfig({ type: "webhook", url: "https://chat.lan/hook" }));
 * // ["chat.lan:443"]
 * ```
 */
export function channelDestinations(config: ChannelConfig): string[] {
  switch (config.type) {
    case "syslog": {
      const destination = hostPort(config.host, config.port);
      if (config.transport !== "udp") return [destination];
      return [destination, isIP(config.host) === 6 ? "[::]:0" : "0.0.0.0:0"];
    }
    case "smtp":
      return [hostPort(config.host, config.port)];
    case "webhook": {
      const url = new URL(config.url);
      const defaultPort = url.protocol === "https:" ? 443 : 80;
      return [`${url.hostname}:${url.port || defaultPort}`];
    }
    case "file":
      return [];
  }
}

/**
 * Files a channel reads (CA bundles) and writes (its JSON-lines file), for
 * the worker's `read` and `write` permissions.
 */
export function channelFiles(config: ChannelConfig): { read: string[]; write: string[] } {
  if (config.type === "file") return { read: [], write: [config.path] };
  return { read: config.ca_file === undefined ? [] : [config.ca_file], write: [] };
}

function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Delivers alerts to one destination. A channel may hold a connection open
 * between sends; `close()` releases it.
 */
export interface AlertChannel extends AsyncDisposable {
  readonly type: ChannelType;
  /**
   * Delivers one alert (at least once: a retry after a timeout may repeat it).
   *
   * @throws {ChannelError} with `retryable` and the reason, when not delivered
   */
  send(alert: Alert, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
