import type { LogLevel } from "../log/mod.ts";

/** How this host takes part in a fleet. */
export type DecnetMode = "standalone" | "master" | "agent";

/** Canary generators that `seedBaseline` may plant. */
export const CANARY_GENERATORS = [
  "aws_creds",
  "git_config",
  "env_file",
  "ssh_key",
  "honeydoc",
  "honeydoc_docx",
  "honeydoc_pdf",
  "mysql_dump",
] as const;

/** One of {@linkcode CANARY_GENERATORS}. */
export type CanaryGeneratorName = typeof CANARY_GENERATORS[number];

/** decnet's resolved settings: built once by `loadConfig`, frozen, passed down. */
export interface Config {
  /** Data directory (database, secrets, state file, blobs). */
  home: string;
  /** Env file that was read, if any. */
  envFile: string | null;
  dbUrl: string;
  logLevel: LogLevel;
  mode: DecnetMode;
  /** This host's id in fleet rows ("local" on a standalone host). */
  hostUuid: string;

  apiBind: string;
  apiPort: number;
  /** Reverse proxies whose X-Forwarded-* headers the API believes (CIDR blocks). */
  apiTrustedProxies: readonly string[];
  /** PEM certificate (chain) file: the API serves HTTPS when set (with {@linkcode Config.apiTlsKey}). */
  apiTlsCert: string | null;
  apiTlsKey: string | null;
  /** null: generated once and kept in `<home>/jwt_secret` (see ensureJwtSecret). */
  jwtSecret: string | null;
  jwtTtlSeconds: number;
  adminUser: string;
  adminPassword: string | null;
  sseMaxPerUser: number;
  loginMaxAttempts: number;
  loginWindowSeconds: number;

  /** null: the in-process bus. */
  busUrl: string | null;
  /** Swarm: tls://host:port of the swarm's nats-server; null: no swarm. */
  swarmNatsUrl: string | null;
  /** Swarm: PEM file of the CA that signed nats-server's certificate (handed to agents at join). */
  swarmNatsCa: string | null;
  /** Docker endpoint (DOCKER_HOST): unix:///path or tcp://host:port. */
  dockerHost: string;

  canaryHttpBind: string;
  canaryHttpPort: number;
  canaryHttpBase: string;
  /** Bait may use loopback, IP-literal and reserved addresses (callback base, sinkhole): tests, labs. */
  canaryAllowLocal: boolean;
  canaryServerHeader: string;
  canaryTrustedProxies: readonly string[];
  canaryDnsBind: string;
  canaryDnsPort: number;
  canaryDnsZone: string;
  /** Empty when no zone is set. */
  canaryDnsSinkhole: string;
  canaryDnsNsAddress: string;
  /** UDP queries per second per source; 0 = no limit. */
  canaryDnsRate: number;
  canaryDnsTtl: number;
  canaryDnsDedupeSeconds: number;
  /** Bound of the canary trigger journal on disk, in bytes. */
  canaryJournalMaxBytes: number;
  canaryBlobDir: string;
  canaryMaxUpload: number;
  canaryBaseline: readonly CanaryGeneratorName[];
  /** Trigger rows per token, source and request shape per minute (0: no limit). */
  canaryTriggerRate: number;
  /** Trigger rows of their own per token per minute (0: no cap). */
  canaryTriggerCap: number;
  /** Days trigger rows are kept (0: forever). */
  canaryTriggerRetentionDays: number;
  /** Days sensor events are kept (0: forever). */
  eventsRetentionDays: number;
  /** Sources whose sensor events are benign (CIDR blocks). */
  benignSources: readonly string[];
  /** The operator's offline IP-to-ASN table file, or null. */
  asnTable: string | null;
  /** `decnet up` runs the sniffer process (TCP/IP fingerprints of SYNs to deckies). */
  sniffer: boolean;
  /** libpcap's path for the sniffer; null: looked for in the usual library directories. */
  snifferLibpcap: string | null;
  /** The sniffer's active prober: one SYN per port to each new source it may probe. */
  prober: boolean;
  /** CIDR blocks the prober may probe; empty: none. */
  proberAllow: readonly string[];
  /** Ports each probe sends a SYN to. */
  proberPorts: readonly number[];
  /** Probes per minute, all sources together. */
  proberRate: number;

  /** The dashboard's base URL for links in alerts; empty: alerts carry no links. */
  dashboardUrl: string;
  /** Consecutive failed deliveries after which an alert channel is disabled. */
  alertsDisableAfter: number;
  /** Longest wait between two delivery attempts of one alert, in seconds. */
  alertsRetryMaxSeconds: number;

  realismPersonas: string | null;
  /** Empty string: no LLM. */
  realismLlm: "" | "ollama" | "openai" | "fake";
  realismLlmUrl: string;
  realismModel: string;
  realismApiKey: string | null;
  realismFakeOutput: string;
  realismTimeoutSeconds: number;

  orchestratorIntervalSeconds: number;
  reconcileIntervalSeconds: number;
}
