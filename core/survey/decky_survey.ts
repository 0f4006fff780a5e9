/** A login from the decky's /etc/passwd. */
export interface SurveyUser {
  login: string;
  uid: number;
  gid: number;
  /** Name of the primary group (from /etc/group), else the gid as text. */
  group: string;
  /** GECOS real name (first comma field), "" when none. */
  realName: string;
  home: string;
  shell: string;
}

/** A group from /etc/group. */
export interface SurveyGroup {
  name: string;
  gid: number;
  members: string[];
}

/** A process seen in /proc (the survey's own are left out). */
export interface SurveyProcess {
  pid: number;
  ppid: number;
  /** Kernel name of the process (/proc/PID/comm, at most 15 bytes). */
  comm: string;
  /** Command line with arguments joined by spaces ("" for kernel threads). */
  cmdline: string;
}

/** What a decky runs of one well-known daemon. */
export interface SurveyDaemon {
  /** Our name for it: sshd, cron, syslog, dovecot, mta, ... */
  name: string;
  /** A binary of it exists on the decky. */
  installed: boolean;
  /** PIDs of its running processes (empty: not running). */
  pids: number[];
  /** Debian package version when dpkg knows the package, else null. */
  packageVersion: string | null;
}

/** A file or directory under /var/log (depth 2). */
export interface SurveyLogFile {
  path: string;
  kind: "file" | "directory";
  owner: string;
  group: string;
  uid: number;
  gid: number;
  /** Permission bits, e.g. 0o640. */
  mode: number;
  size: number;
  mtime: Date;
  /** Last line, for the live logs the survey tails (SURVEY_LOG_TAILS); else null. */
  lastLine: string | null;
  /**
   * How the last line is stamped: "rfc3339" (`2026-12-01T09:09:26.458148+00:00`,
   * rsyslog's default since Debian 12), "bsd" (`Dec  1 09:09:26`), null when unknown.
   */
  stampFormat: "rfc3339" | "bsd" | null;
}

/** A neighbour the decky has talked to (complete entries of /proc/net/arp). */
export interface SurveyPeer {
  ip: string;
  mac: string;
  iface: string;
}

/** An IPv4 route from /proc/net/route. */
export interface SurveyRoute {
  iface: string;
  /** Network in CIDR form, e.g. "172.18.0.0/16"; "0.0.0.0/0" for the default route. */
  destination: string;
  /** Next hop, null when on-link. */
  gateway: string | null;
}

/**
 * What one survey found inside a decky: the facts the orchestrator must agree
 * with before it writes anything there. Produced by {@linkcode parseSurvey}.
 */
export interface DeckySurvey {
  /** The decky's own clock when it answered. */
  clock: Date | null;
  /** Boot time derived from /proc/uptime and the decky's clock. */
  bootedAt: Date | null;
  hostname: string | null;
  /** IANA zone from /etc/timezone or the /etc/localtime link, else null. */
  timeZone: string | null;
  os: {
    /** os-release ID, e.g. "debian". */
    id: string | null;
    versionId: string | null;
    versionCodename: string | null;
    prettyName: string | null;
    /** /etc/debian_version, e.g. "12.11". */
    debianVersion: string | null;
  };
  /** First line of the oldest dpkg log, read as UTC (dpkg logs local time). */
  installedAt: Date | null;
  users: SurveyUser[];
  groups: SurveyGroup[];
  processes: SurveyProcess[];
  /** Well-known daemons, installed or running; see {@linkcode DAEMONS}. */
  daemons: SurveyDaemon[];
  /** Debian package name -> version, for installed packages the survey asked about. */
  packages: Record<string, string>;
  /** `ssh -V` first word, e.g. "OpenSSH_9.2p1 Debian-2+deb12u6"; null without ssh. */
  sshVersion: string | null;
  /** Files and directories under /var/log with owner, group and mode. */
  logFiles: SurveyLogFile[];
  /** Dovecot's `mail_location` when doveconf answers, e.g. "mbox:~/mail:INBOX=/var/mail/%u". */
  mailLocation: string | null;
  /** /var/mail and /var/spool/mail as they exist. */
  mailDirs: SurveyLogFile[];
  /** The decky's non-loopback IPv4 addresses. */
  addresses: string[];
  routes: SurveyRoute[];
  /** Default gateway, null when none. */
  gateway: string | null;
  peers: SurveyPeer[];
  /** /.dockerenv exists (a container tell). */
  dockerenv: boolean;
  resolver: { nameservers: string[]; search: string[] };
}
