/** Where `decnet init` points units by default. */
export const DEFAULT_BINARY = "/usr/local/bin/decnet";
export const DEFAULT_SERVICE_USER = "decnet";
export const DEFAULT_SERVICE_HOME = "/var/lib/decnet";
/**
 * The install's env file, read by systemd (as root) through EnvironmentFile=;
 * mode 0640, group of the service user, so `decnet --env-file` run as that user reads it too.
 */
export const DEFAULT_ENV_FILE = "/etc/decnet/decnet.env";
/** Where earlier releases put the env file: `decnet install` and `init` move it to DEFAULT_ENV_FILE. */
export const LEGACY_ENV_FILE = "/etc/decnet/.env.local";

/** Options for {@linkcode renderUnits}. */
export interface RenderUnitsOptions {
  /** Absolute path of the decnet executable in ExecStart. @default "/usr/local/bin/decnet" */
  binary?: string;
  /** Dedicated service user (and its group). @default "decnet" */
  user?: string;
  /** DECNET_HOME, the one writable path. @default "/var/lib/decnet" */
  home?: string;
  /** EnvironmentFile= path. @default "/etc/decnet/decnet.env" */
  envFile?: string;
}

/** One rendered unit: file name and text. */
export interface RenderedUnit {
  name: string;
  content: string;
}

interface UnitSpec {
  name: string;
  command: string;
  description: string;
  /** Talks to the Docker socket: gets the docker group. */
  docker: boolean;
  /** Binds ports below 1024 (canary DNS 53, HTTP 80). */
  lowPorts: boolean;
  /** Captures packets (the sniffer): CAP_NET_RAW and packet sockets, nothing else. */
  capture?: boolean;
}

const WORKER_UNITS: readonly UnitSpec[] = [
  {
    name: "decnet-api",
    command: "api",
    description: "decnet API and dashboard",
    docker: false,
    lowPorts: false,
  },
  {
    name: "decnet-canary",
    command: "canary --no-collector",
    description: "decnet canary listeners (HTTP and DNS)",
    docker: false,
    lowPorts: true,
  },
  {
    name: "decnet-collector",
    command: "collect",
    description: "decnet collector (stores the canary trigger journal)",
    docker: false,
    lowPorts: false,
  },
  {
    name: "decnet-orchestrator",
    command: "orchestrate",
    description: "decnet realism orchestrator",
    docker: true,
    lowPorts: false,
  },
  {
    name: "decnet-reconciler",
    command: "reconcile",
    description: "decnet fleet reconciler",
    docker: true,
    lowPorts: false,
  },
  {
    name: "decnet-clusterer",
    command: "clusterer",
    description: "decnet clusterer (attacker records into identities and campaigns)",
    docker: false,
    lowPorts: false,
  },
  {
    name: "decnet-alerts",
    command: "alerts run",
    description: "decnet alerts (syslog, SMTP, webhooks, files)",
    docker: false,
    lowPorts: false,
  },
  {
    name: "decnet-sniffer",
    command: "sniffer",
    description: "decnet sniffer (TCP/IP fingerprints of SYNs to the deckies)",
    docker: false,
    lowPorts: false,
    capture: true,
  },
];

const ALL_IN_ONE: UnitSpec = {
  name: "decnet",
  command: "up",
  description: "decnet deception-network control plane (all workers in one process)",
  docker: true,
  lowPorts: true,
};

const USER_REGEXP = /^[a-z_][a-z0-9_-]{0,31}$/;
// Absolute, no whitespace, quotes, backslashes or systemd specifiers (%).
const UNIT_PATH_REGEXP = /^\/[^\s"'\\%]*$/;

function checkPath(field: string, value: string): void {
  if (!UNIT_PATH_REGEXP.test(value)) {
    throw new TypeError(
      `Cannot render units: expected ${field} to be an absolute path without spaces, quotes or %, got "${value}"`,
    );
  }
}

/**
 * Renders the hardened systemd units: `decnet.service` (all-in-one
 * `decnet up`), one unit per worker, and `decnet.target` grouping the
 * workers. The all-in-one and the per-worker units conflict with each other.
 *
 * @throws {TypeError} when a path is not absolute or the user name is not valid
 * @example
 * ```ts
 * import { renderUnits } from "./render_units.ts";
 * for (const unit of renderUnits({ binary: "/opt/decnet/bin/decnet" })) {
 *   await Deno.writeTextFile(`/etc/systemd/system/${unit.name}`, unit.content);
 * }
 * ```
 */
export function renderUnits(options: RenderUnitsOptions = {}): RenderedUnit[] {
  const binary = options.binary ?? DEFAULT_BINARY;
  const user = options.user ?? DEFAULT_SERVICE_USER;
  const home = (options.home ?? DEFAULT_SERVICE_HOME).replace(/(.)\/+$/, "$1");
  const envFile = options.envFile ?? DEFAULT_ENV_FILE;
  checkPath("binary", binary);
  checkPath("home", home);
  checkPath("envFile", envFile);
  if (!USER_REGEXP.test(user)) {
    throw new TypeError(
      `Cannot render units: expected user to be a system user name like "decnet", got "${user}"`,
    );
  }
  const settings = { binary, user, home, envFile };
  const workerNames = WORKER_UNITS.map((u) => `${u.name}.service`);
  // The sniffer is opt-in (`systemctl enable decnet-sniffer`): the target does not pull it in.
  const wantedNames = WORKER_UNITS.filter((u) => !u.capture).map((u) => `${u.name}.service`);
  return [
    {
      name: "decnet.service",
      content: serviceUnit(ALL_IN_ONE, settings, {
        unitExtra: [`Conflicts=decnet.target ${workerNames.join(" ")}`],
        wantedBy: "multi-user.target",
      }),
    },
    ...WORKER_UNITS.map((spec) => ({
      name: `${spec.name}.service`,
      content: serviceUnit(spec, settings, {
        unitExtra: ["PartOf=decnet.target", "Conflicts=decnet.service"],
        wantedBy: "decnet.target",
      }),
    })),
    { name: "decnet.target", content: targetUnit(wantedNames) },
  ];
}

function serviceUnit(
  spec: UnitSpec,
  s: { binary: string; user: string; home: string; envFile: string },
  extra: { unitExtra: string[]; wantedBy: string },
): string {
  const stateDirectory = s.home.startsWith("/var/lib/") ? s.home.slice("/var/lib/".length) : "";
  const lines = [
    "# Rendered by `decnet init`; edit the options of `decnet init` rather than this file.",
    "[Unit]",
    `Description=${spec.description}`,
    "Wants=network-online.target",
    `After=network-online.target${spec.docker ? " docker.service" : ""}`,
    ...extra.unitExtra,
    "",
    "[Service]",
    "Type=exec",
    `ExecStart=${s.binary} ${spec.command}`,
    `User=${s.user}`,
    `Group=${s.user}`,
    ...(spec.docker ? ["SupplementaryGroups=docker"] : []),
    `Environment=DECNET_HOME=${s.home}`,
    // Read by systemd as root (root:<user> 0640 lets the user read it too); wins over Environment=.
    `EnvironmentFile=-${s.envFile}`,
    `WorkingDirectory=${s.home}`,
    ...(stateDirectory ? [`StateDirectory=${stateDirectory}`, "StateDirectoryMode=0750"] : []),
    "Restart=on-failure",
    "RestartSec=5s",
    "TimeoutStopSec=30s",
    "",
    "# Hardening",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    `ReadWritePaths=${s.home}`,
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
    "ProtectClock=yes",
    "ProtectHostname=yes",
    "RestrictSUIDSGID=yes",
    "RestrictRealtime=yes",
    "RestrictNamespaces=yes",
    "LockPersonality=yes",
    `RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK${
      spec.capture ? " AF_PACKET" : ""
    }`,
    "UMask=0077",
    ...(spec.capture
      ? [
        "# libpcap opens packet sockets on the decky networks' host interfaces.",
        "AmbientCapabilities=CAP_NET_RAW",
        "CapabilityBoundingSet=CAP_NET_RAW",
      ]
      : spec.lowPorts
      ? [
        "# Canary listeners bind ports 53 and 80.",
        "AmbientCapabilities=CAP_NET_BIND_SERVICE",
        "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
      ]
      : ["CapabilityBoundingSet="]),
    "",
    "[Install]",
    `WantedBy=${extra.wantedBy}`,
  ];
  return lines.join("\n") + "\n";
}

function targetUnit(workerNames: string[]): string {
  return [
    "# Rendered by `decnet init`; edit the options of `decnet init` rather than this file.",
    "[Unit]",
    "Description=decnet workers as separate services (api, canary, collector, orchestrator, reconciler, clusterer, alerts; the sniffer is opt-in)",
    `Wants=${workerNames.join(" ")}`,
    "Conflicts=decnet.service",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  ].join("\n") + "\n";
}
