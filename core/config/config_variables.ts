import { join, resolve } from "node:path";
import { parseDbUrl } from "../db/db_url.ts";
import { validateUsername } from "../db/validate_username.ts";
import { DEFAULT_TRIGGER_CAP, DEFAULT_TRIGGER_RATE } from "../db/trigger_rollup_planner.ts";
import { LOG_LEVELS } from "../log/mod.ts";
import { MAX_PROBE_PORTS } from "../sniffer/tcp_probe.ts";
import { CANARY_GENERATORS } from "./config.ts";
import type { Config } from "./config.ts";
import { parseSwarmNatsUrl } from "../swarm/swarm_nats_url.ts";
import {
  parseBindAddress,
  parseBoolean,
  parseByteSize,
  parseChoice,
  parseChoiceList,
  parseCidrList,
  parseDnsZone,
  parseDurationSeconds,
  parseHttpBase,
  parseIntInRange,
  parsePort,
  parsePortList,
  parsePublicIpv4,
} from "./value_parsers.ts";

/** Default API address: loopback, so nothing is exposed until an operator says so. */
export const DEFAULT_API_BIND = "127.0.0.1";
export const DEFAULT_API_PORT = 8000;
export const DEFAULT_CANARY_HTTP_PORT = 8088;
export const DEFAULT_CANARY_DNS_PORT = 5353;
export const DEFAULT_JWT_TTL_SECONDS = 4 * 3600;
export const DEFAULT_TRIGGER_RETENTION_DAYS = 180;
/** Ports the sniffer's active prober sends a SYN to, and its global rate (probes per minute). */
export const DEFAULT_PROBER_PORTS: readonly number[] = Object.freeze([22, 80, 443]);
export const DEFAULT_PROBER_RATE = 6;
/** Days sensor events are kept (attackers and credentials are kept for good). */
export const DEFAULT_EVENTS_RETENTION_DAYS = 90;

/** How one DECNET_* variable is documented, parsed and defaulted. */
export interface ConfigVariable {
  name: string;
  /** The {@linkcode Config} field it sets. */
  key: keyof Config;
  /** What it sets, for README, env.example and `config show`. */
  doc: string;
  /** A good value, shown in error messages. */
  example: string;
  /** Default as a person reads it. */
  defaultText: string;
  /** Masked in `config show` and never logged. */
  secret?: boolean;
  /** Writes the parsed value (or the default when `raw` is undefined); paths resolve from `cwd`. */
  apply(raw: string | undefined, draft: Partial<Config>, cwd: string): void;
}

function variable<K extends keyof Config>(
  name: string,
  key: K,
  spec: {
    doc: string;
    example: string;
    defaultText?: string;
    secret?: boolean;
    /** `draft` holds the variables applied before this one. */
    parse: (raw: string, cwd: string, draft: Partial<Config>) => Config[K];
    fallback: (draft: Partial<Config>, cwd: string) => Config[K];
  },
): ConfigVariable {
  return {
    name,
    key,
    doc: spec.doc,
    example: spec.example,
    defaultText: spec.defaultText ?? String(spec.fallback({ home: "<home>" }, ".")),
    secret: spec.secret,
    apply(raw, draft, cwd) {
      draft[key] = raw === undefined || raw === ""
        ? spec.fallback(draft, cwd)
        : spec.parse(raw, cwd, draft);
    },
  };
}

const text = (raw: string) => raw;
const optionalText = (raw: string): string | null => raw;

/**
 * Every variable decnet reads, in the order they are applied (DECNET_HOME
 * first: later defaults derive from it). README and deploy/env.example are
 * checked against this list by a test.
 */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  variable("DECNET_HOME", "home", {
    doc: "Data directory: SQLite database, JWT secret, state file, canary blobs.",
    example: "/var/lib/decnet",
    defaultText: "./var (in the working directory)",
    parse: (raw, cwd) => resolve(cwd, raw),
    fallback: (_, cwd) => resolve(cwd, "var"),
  }),
  variable("DECNET_DB_URL", "dbUrl", {
    doc: "Database: sqlite:PATH, or mysql://user:pass@host:port/db for MySQL/MariaDB.",
    example: "mysql://decnet:secret@127.0.0.1:3306/decnet",
    defaultText: "sqlite:<DECNET_HOME>/decnet.db",
    secret: true,
    parse: (raw) => {
      // The same parser opens the database, so what passes here also connects.
      parseDbUrl(raw);
      return raw;
    },
    fallback: (d) => `sqlite:${join(d.home!, "decnet.db")}`,
  }),
  variable("DECNET_LOG_LEVEL", "logLevel", {
    doc: "Lowest log level written: debug, info, warn or error.",
    example: "debug",
    parse: (raw) => parseChoice(raw, LOG_LEVELS),
    fallback: () => "info",
  }),
  variable("DECNET_MODE", "mode", {
    doc:
      "Role of this host, which picks the workers `decnet up` runs: standalone, master (control plane; needs DECNET_SWARM_NATS_URL and _CA) or agent (deckies for a master, after `decnet agent join`; no database).",
    example: "master",
    parse: (raw) => parseChoice(raw, ["standalone", "master", "agent"] as const),
    fallback: () => "standalone",
  }),
  variable("DECNET_HOST_UUID", "hostUuid", {
    doc: "This host's id in fleet rows; `local` on a standalone host.",
    example: "3f0c2a9e-host-a",
    parse: (raw) => {
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(raw)) {
        throw new SyntaxError("expected 1-64 letters, digits, dots, dashes or underscores");
      }
      return raw;
    },
    fallback: () => "local",
  }),
  variable("DECNET_API_BIND", "apiBind", {
    doc: "Address the REST API and dashboard listen on.",
    example: "0.0.0.0",
    parse: parseBindAddress,
    fallback: () => DEFAULT_API_BIND,
  }),
  variable("DECNET_API_PORT", "apiPort", {
    doc: "API port; 0 picks a free port and prints it.",
    example: "8000",
    parse: parsePort,
    fallback: () => DEFAULT_API_PORT,
  }),
  variable("DECNET_API_TRUSTED_PROXIES", "apiTrustedProxies", {
    doc:
      "CIDR list of reverse proxies whose X-Forwarded-For and -Proto the API believes; empty: trust none.",
    example: "127.0.0.1/32,::1",
    defaultText: "(none)",
    parse: parseCidrList,
    fallback: () => [],
  }),
  variable("DECNET_API_TLS_CERT", "apiTlsCert", {
    doc:
      "PEM certificate file: the API and dashboard serve HTTPS with it and DECNET_API_TLS_KEY; unset: plain HTTP. Swarm agents join over HTTPS only.",
    example: "/etc/decnet/api.pem",
    defaultText: "(none)",
    parse: (raw, cwd) => resolve(cwd, raw),
    fallback: () => null,
  }),
  variable("DECNET_API_TLS_KEY", "apiTlsKey", {
    doc: "PEM private key file of DECNET_API_TLS_CERT.",
    example: "/etc/decnet/api.key",
    defaultText: "(none)",
    parse: (raw, cwd, draft) => {
      if (!draft.apiTlsCert) throw new SyntaxError("expected DECNET_API_TLS_CERT to be set too");
      return resolve(cwd, raw);
    },
    fallback: (draft) => {
      if (draft.apiTlsCert) {
        throw new SyntaxError("expected a key file: DECNET_API_TLS_CERT is set");
      }
      return null;
    },
  }),
  variable("DECNET_JWT_SECRET", "jwtSecret", {
    doc:
      "HS256 key for API tokens (32+ characters). Unset: generated once into <DECNET_HOME>/jwt_secret (mode 0600).",
    example: "a-long-random-string-of-at-least-32-chars",
    defaultText: "generated",
    secret: true,
    parse: (raw) => {
      if (raw.length < 32) throw new RangeError("expected at least 32 characters");
      return raw;
    },
    fallback: () => null,
  }),
  variable("DECNET_JWT_TTL", "jwtTtlSeconds", {
    doc: "Lifetime of an API token.",
    example: "4h",
    defaultText: "4h",
    parse: (raw) => parseDurationSeconds(raw, 60, 7 * 86400),
    fallback: () => DEFAULT_JWT_TTL_SECONDS,
  }),
  variable("DECNET_ADMIN_USER", "adminUser", {
    doc: "Name of the first admin account, created on first start.",
    example: "admin",
    parse: validateUsername,
    fallback: () => "admin",
  }),
  variable("DECNET_ADMIN_PASSWORD", "adminPassword", {
    doc:
      "Password of the first admin, used only when no user exists yet. Unset: generated and printed once.",
    example: "a-long-passphrase",
    defaultText: "generated",
    secret: true,
    // Checked where it is used (the first admin's creation): once users exist it is ignored,
    // and a value that has become weak under a newer policy must not stop an install.
    parse: (raw) => raw,
    fallback: () => null,
  }),
  variable("DECNET_SSE_MAX_PER_USER", "sseMaxPerUser", {
    doc:
      "Concurrent live-event (SSE) connections allowed per user (and twice as many unused stream tickets).",
    example: "5",
    parse: (raw) => parseIntInRange(raw, 1, 1000),
    fallback: () => 5,
  }),
  variable("DECNET_LOGIN_MAX_ATTEMPTS", "loginMaxAttempts", {
    doc:
      "Failed logins per address, and per account and address, within DECNET_LOGIN_WINDOW (then 429); per account, a delay.",
    example: "10",
    parse: (raw) => parseIntInRange(raw, 1, 100_000),
    fallback: () => 10,
  }),
  variable("DECNET_LOGIN_WINDOW", "loginWindowSeconds", {
    doc: "Window of the login rate limit.",
    example: "5m",
    defaultText: "5m",
    parse: (raw) => parseDurationSeconds(raw, 1, 86400),
    fallback: () => 300,
  }),
  variable("DECNET_BUS_URL", "busUrl", {
    doc: "Event bus: unset for the in-process bus, nats://host:port for NATS.",
    example: "nats://127.0.0.1:4222",
    defaultText: "in-process",
    secret: true,
    parse: (raw) => {
      if (!/^(nats|tls):\/\/[^\s]+$/.test(raw)) throw new SyntaxError("expected nats://host:port");
      return raw;
    },
    fallback: () => null,
  }),
  variable("DECNET_SWARM_NATS_URL", "swarmNatsUrl", {
    doc:
      "Swarm master: tls://host:port of the swarm's nats-server as agents reach it (handed to them at join, revocations pushed there); unset: no swarm.",
    example: "tls://nats.lan:4222",
    defaultText: "(none)",
    parse: parseSwarmNatsUrl,
    fallback: () => null,
  }),
  variable("DECNET_SWARM_NATS_CA", "swarmNatsCa", {
    doc:
      "Swarm master: PEM file of the CA that signed nats-server's TLS certificate; agents receive it when they join.",
    example: "/etc/decnet/nats-ca.pem",
    defaultText: "(none)",
    parse: (raw, cwd) => resolve(cwd, raw),
    fallback: () => null,
  }),
  variable("DOCKER_HOST", "dockerHost", {
    doc: "Docker endpoint: unix:///path/to/docker.sock or tcp://host:port.",
    example: "unix:///var/run/docker.sock",
    parse: (raw) => {
      if (!/^(unix:\/\/\/.+|tcp:\/\/[^\s/]+:\d+\/?)$/.test(raw)) {
        throw new SyntaxError("expected unix:///path or tcp://host:port");
      }
      return raw;
    },
    fallback: () => "unix:///var/run/docker.sock",
  }),
  variable("DECNET_CANARY_HTTP_BIND", "canaryHttpBind", {
    doc: "Address of the attacker-facing canary HTTP listener.",
    example: "0.0.0.0",
    parse: parseBindAddress,
    fallback: () => "0.0.0.0",
  }),
  variable("DECNET_CANARY_HTTP_PORT", "canaryHttpPort", {
    doc: "Port of the canary HTTP listener; 0 picks a free port.",
    example: "80",
    parse: parsePort,
    fallback: () => DEFAULT_CANARY_HTTP_PORT,
  }),
  variable("DECNET_CANARY_HTTP_BASE", "canaryHttpBase", {
    doc:
      "Public base URL planted in HTTP bait (no trailing slash); callbacks go to <base>/c/<slug>.",
    example: "http://updates.example.net",
    defaultText: "http://127.0.0.1:8088",
    parse: parseHttpBase,
    fallback: () => `http://127.0.0.1:${DEFAULT_CANARY_HTTP_PORT}`,
  }),
  variable("DECNET_CANARY_ALLOW_LOCAL", "canaryAllowLocal", {
    doc:
      "Tests and labs only: accept loopback, IP-literal, documentation and other reserved addresses in bait (planted callback base, DNS sinkhole and name server address).",
    example: "false",
    parse: parseBoolean,
    fallback: () => false,
  }),
  variable("DECNET_CANARY_SERVER_HEADER", "canaryServerHeader", {
    doc:
      "Server header and error-page footer of the nginx-like canary HTTP listener (Debian's stock nginx/1.22.1; nginx: server_tokens off).",
    example: "nginx",
    parse: (raw) => {
      if (!/^[\x20-\x7e]{1,100}$/.test(raw)) throw new SyntaxError("expected printable ASCII");
      return raw;
    },
    fallback: () => "nginx/1.22.1",
  }),
  variable("DECNET_CANARY_TRUSTED_PROXIES", "canaryTrustedProxies", {
    doc: "CIDR list whose X-Forwarded-For is believed; empty: trust none.",
    example: "127.0.0.1/32,10.0.0.0/8",
    defaultText: "(none)",
    parse: parseCidrList,
    fallback: () => [],
  }),
  variable("DECNET_CANARY_DNS_BIND", "canaryDnsBind", {
    doc: "Address of the authoritative DNS listener (UDP and TCP).",
    example: "0.0.0.0",
    parse: parseBindAddress,
    fallback: () => "0.0.0.0",
  }),
  variable("DECNET_CANARY_DNS_PORT", "canaryDnsPort", {
    doc: "Port of the DNS listener; 0 picks a free port.",
    example: "53",
    parse: parsePort,
    fallback: () => DEFAULT_CANARY_DNS_PORT,
  }),
  variable("DECNET_CANARY_DNS_ZONE", "canaryDnsZone", {
    doc: "Zone the DNS listener is authoritative for; empty disables DNS bait.",
    example: "t.example.net",
    defaultText: "(none)",
    parse: parseDnsZone,
    fallback: () => "",
  }),
  variable("DECNET_CANARY_DNS_SINKHOLE", "canaryDnsSinkhole", {
    doc:
      "IPv4 address answered for bait names (a host you control); required when DECNET_CANARY_DNS_ZONE is set.",
    example: "10.20.0.80",
    defaultText: "(none)",
    parse: (raw, _cwd, d) => parsePublicIpv4(raw, d.canaryAllowLocal ?? false),
    fallback: (d) => {
      if (d.canaryDnsZone) throw new SyntaxError("required when DECNET_CANARY_DNS_ZONE is set");
      return "";
    },
  }),
  variable("DECNET_CANARY_DNS_NS_ADDRESS", "canaryDnsNsAddress", {
    doc: "IPv4 address of the zone's name server ns1.<zone> (its A record and glue).",
    example: "10.20.0.53",
    defaultText: "(the sinkhole)",
    parse: (raw, _cwd, d) => parsePublicIpv4(raw, d.canaryAllowLocal ?? false),
    fallback: (d) => d.canaryDnsSinkhole ?? "",
  }),
  variable("DECNET_CANARY_DNS_RATE", "canaryDnsRate", {
    doc:
      "UDP queries/s per source (burst 2x); over it, every 2nd query gets an empty truncated answer (TCP retry), the rest is dropped. 0: off.",
    example: "200",
    parse: (raw) => parseIntInRange(raw, 0, 1_000_000),
    fallback: () => 200,
  }),
  variable("DECNET_CANARY_DNS_TTL", "canaryDnsTtl", {
    doc: "TTL in seconds of bait answers.",
    example: "60",
    parse: (raw) => parseIntInRange(raw, 0, 86400),
    fallback: () => 60,
  }),
  variable("DECNET_CANARY_DNS_DEDUPE", "canaryDnsDedupeSeconds", {
    doc: "One DNS trigger per (token, resolver, name) within this window.",
    example: "60s",
    defaultText: "60s",
    parse: (raw) => parseDurationSeconds(raw, 0, 86400),
    fallback: () => 60,
  }),
  variable("DECNET_CANARY_JOURNAL_MAX", "canaryJournalMaxBytes", {
    doc:
      "Disk the canary trigger journal (<DECNET_HOME>/spool/canary) may fill while the database is away; beyond it triggers are lost (counted).",
    example: "256MiB",
    defaultText: "256MiB",
    parse: (raw) => parseByteSize(raw, 1024, 1024 ** 4),
    fallback: () => 256 * 1024 ** 2,
  }),
  variable("DECNET_CANARY_BLOB_DIR", "canaryBlobDir", {
    doc: "Where uploaded documents are kept (sha256 fan-out).",
    example: "/var/lib/decnet/canary/blobs",
    defaultText: "<DECNET_HOME>/canary/blobs",
    parse: (raw, cwd) => resolve(cwd, raw),
    fallback: (d) => join(d.home!, "canary", "blobs"),
  }),
  variable("DECNET_CANARY_MAX_UPLOAD", "canaryMaxUpload", {
    doc: "Largest accepted upload.",
    example: "25MiB",
    defaultText: "25MiB",
    parse: (raw) => parseByteSize(raw, 1, 1024 ** 3),
    fallback: () => 25 * 1024 ** 2,
  }),
  variable("DECNET_CANARY_BASELINE", "canaryBaseline", {
    doc:
      "Generators a freshly deployed decky's bait is drawn from; each gets its own subset, at least half (comma list; empty: none).",
    example: "git_config,env_file,honeydoc,aws_creds",
    defaultText: "git_config,env_file,honeydoc,aws_creds",
    parse: (raw) => parseChoiceList(raw, CANARY_GENERATORS),
    fallback: () => ["git_config", "env_file", "honeydoc", "aws_creds"],
  }),
  variable("DECNET_CANARY_TRIGGER_RATE", "canaryTriggerRate", {
    doc:
      "Trigger rows per token, source and request shape per minute; further repeats are counted in one rollup row (0: no limit).",
    example: "10",
    parse: (raw) => parseIntInRange(raw, 0, 1_000_000),
    fallback: () => DEFAULT_TRIGGER_RATE,
  }),
  variable("DECNET_CANARY_TRIGGER_CAP", "canaryTriggerCap", {
    doc:
      "Trigger rows of their own per token per minute; beyond it hits are counted per source /24 or /64 (32 rows), then in one row (0: no cap).",
    example: "100",
    parse: (raw) => parseIntInRange(raw, 0, 1_000_000),
    fallback: () => DEFAULT_TRIGGER_CAP,
  }),
  variable("DECNET_CANARY_TRIGGER_RETENTION", "canaryTriggerRetentionDays", {
    doc:
      "Days trigger rows are kept, removed oldest first in batches; tokens keep counting them (0: keep forever).",
    example: "180",
    defaultText: "180",
    parse: (raw) => parseIntInRange(raw.trim().replace(/d$/i, ""), 0, 36_500),
    fallback: () => DEFAULT_TRIGGER_RETENTION_DAYS,
  }),
  variable("DECNET_EVENTS_RETENTION", "eventsRetentionDays", {
    doc:
      "Days sensor events are kept, removed oldest first in batches; attacker and credential records stay (0: keep forever).",
    example: "90",
    defaultText: "90",
    parse: (raw) => parseIntInRange(raw.trim().replace(/d$/i, ""), 0, 36_500),
    fallback: () => DEFAULT_EVENTS_RETENTION_DAYS,
  }),
  variable("DECNET_BENIGN_SOURCES", "benignSources", {
    doc:
      "CIDR list of sources whose sensor events are benign (your own scanners): recorded, never an attacker. The fleet's own addresses always are.",
    example: "198.51.100.0/24",
    defaultText: "(none)",
    parse: parseCidrList,
    fallback: () => [],
  }),
  variable("DECNET_ASN_TABLE", "asnTable", {
    doc:
      "Offline IP-to-ASN table (ip2asn TSV: start, end, AS number, country, name) naming each attacker's network; unset: none. Never downloaded.",
    example: "/etc/decnet/ip2asn-combined.tsv",
    defaultText: "(none)",
    parse: (raw, cwd) => resolve(cwd, raw),
    fallback: () => null,
  }),
  variable("DECNET_SNIFFER", "sniffer", {
    doc:
      "on: `decnet up` also runs the sniffer, a separate process capturing client SYNs to the deckies (TCP/IP fingerprints); needs root or CAP_NET_RAW and libpcap0.8.",
    example: "on",
    defaultText: "off",
    parse: parseBoolean,
    fallback: () => false,
  }),
  variable("DECNET_SNIFFER_LIBPCAP", "snifferLibpcap", {
    doc:
      "Path of libpcap.so.0.8 for the sniffer (the only file it may load through FFI); unset: looked for in the usual library directories.",
    example: "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
    defaultText: "(search)",
    parse: (raw, cwd) => resolve(cwd, raw),
    fallback: () => null,
  }),
  variable("DECNET_PROBER", "prober", {
    doc:
      "on: the sniffer probes each new source in DECNET_PROBER_ALLOW once (a SYN per DECNET_PROBER_PORTS port) and records the SYN-ACK's TTL, window, options, TOS, ISN.",
    example: "on",
    defaultText: "off",
    parse: parseBoolean,
    fallback: () => false,
  }),
  variable("DECNET_PROBER_ALLOW", "proberAllow", {
    doc:
      "CIDR list of sources the prober may probe (IPv4; once per source per hour at most); empty: none, whatever DECNET_PROBER says.",
    example: "198.51.100.0/24",
    defaultText: "(none)",
    parse: parseCidrList,
    fallback: () => [],
  }),
  variable("DECNET_PROBER_PORTS", "proberPorts", {
    doc: `Ports each probe sends a SYN to (1-${MAX_PROBE_PORTS}, comma-separated).`,
    example: "22,80,443",
    defaultText: DEFAULT_PROBER_PORTS.join(","),
    parse: (raw) => parsePortList(raw, MAX_PROBE_PORTS),
    fallback: () => [...DEFAULT_PROBER_PORTS],
  }),
  variable("DECNET_PROBER_RATE", "proberRate", {
    doc: "Most probes per minute, all sources together (bursts up to one minute's worth).",
    example: "6",
    defaultText: String(DEFAULT_PROBER_RATE),
    parse: (raw) => parseIntInRange(raw, 1, 600),
    fallback: () => DEFAULT_PROBER_RATE,
  }),
  variable("DECNET_DASHBOARD_URL", "dashboardUrl", {
    doc:
      "The dashboard's address as operators open it, for links in alerts (token, attacker, decky pages); unset: alerts carry no links.",
    example: "https://decnet.corp.example:8443",
    defaultText: "(none)",
    parse: parseHttpBase,
    fallback: () => "",
  }),
  variable("DECNET_ALERTS_DISABLE_AFTER", "alertsDisableAfter", {
    doc:
      "Consecutive failed deliveries after which an alert channel is disabled, with the reason shown, until an admin enables it again.",
    example: "10",
    parse: (raw) => parseIntInRange(raw, 1, 1000),
    fallback: () => 10,
  }),
  variable("DECNET_ALERTS_RETRY_MAX", "alertsRetryMaxSeconds", {
    doc:
      "Longest wait between two delivery attempts of an alert (attempts back off exponentially from 1 s up to this).",
    example: "10m",
    defaultText: "600s",
    parse: (raw) => parseDurationSeconds(raw, 1, 86400),
    fallback: () => 600,
  }),
  variable("DECNET_REALISM_PERSONAS", "realismPersonas", {
    doc:
      "Global persona pool file; unset: /etc/decnet/email_personas.json, else ~/.decnet/email_personas.json.",
    example: "/etc/decnet/email_personas.json",
    defaultText: "(search path)",
    parse: (raw, cwd) => resolve(cwd, raw),
    fallback: () => null,
  }),
  variable("DECNET_REALISM_LLM", "realismLlm", {
    doc:
      "LLM backend for realism text: ollama, openai, fake; empty/off/none/0/false/disabled for none.",
    example: "ollama",
    defaultText: "(none)",
    parse: (raw) => {
      const v = raw.trim().toLowerCase();
      if (["", "off", "none", "0", "false", "disabled"].includes(v)) return "";
      return parseChoice(v, ["ollama", "openai", "fake"] as const);
    },
    fallback: () => "",
  }),
  variable("DECNET_REALISM_LLM_URL", "realismLlmUrl", {
    doc: "Base URL of the LLM server.",
    example: "http://127.0.0.1:11434",
    parse: parseHttpBase,
    fallback: () => "http://127.0.0.1:11434",
  }),
  variable("DECNET_REALISM_MODEL", "realismModel", {
    doc: "Model name asked of the LLM server.",
    example: "llama3.1",
    parse: text,
    fallback: () => "llama3.1",
  }),
  variable("DECNET_REALISM_API_KEY", "realismApiKey", {
    doc: "Bearer key for an OpenAI-compatible server.",
    example: "sk-local-123",
    defaultText: "(none)",
    secret: true,
    parse: optionalText,
    fallback: () => null,
  }),
  variable("DECNET_REALISM_FAKE_OUTPUT", "realismFakeOutput", {
    doc: "Canned text returned by the fake LLM backend (tests, demos).",
    example: "Quick note: check the backup job.",
    defaultText: "(built-in)",
    parse: text,
    fallback: () => "Reminder: follow up on the open items from this morning.",
  }),
  variable("DECNET_REALISM_TIMEOUT", "realismTimeoutSeconds", {
    doc: "Per-request LLM timeout.",
    example: "60s",
    defaultText: "60s",
    parse: (raw) => parseDurationSeconds(raw, 0.1, 3600),
    fallback: () => 60,
  }),
  variable("DECNET_ORCHESTRATOR_INTERVAL", "orchestratorIntervalSeconds", {
    doc: "Seconds between orchestrator ticks.",
    example: "60",
    parse: (raw) => parseDurationSeconds(raw, 1, 86400),
    fallback: () => 60,
  }),
  variable("DECNET_RECONCILE_INTERVAL", "reconcileIntervalSeconds", {
    doc: "Seconds between reconciler passes.",
    example: "30",
    parse: (raw) => parseDurationSeconds(raw, 1, 86400),
    fallback: () => 30,
  }),
];
