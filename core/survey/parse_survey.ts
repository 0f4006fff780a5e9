import { DAEMONS } from "./daemons.ts";
import type {
  DeckySurvey,
  SurveyDaemon,
  SurveyGroup,
  SurveyLogFile,
  SurveyPeer,
  SurveyProcess,
  SurveyRoute,
  SurveyUser,
} from "./decky_survey.ts";

const MAX_CMDLINE = 512;
const MARKER_REGEXP = /^[A-Za-z0-9_@%+=-]{8,64}$/;
const DPKG_STAMP_REGEXP = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) /;
const IPV4_REGEXP = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const MAC_REGEXP = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
const ZONEINFO_REGEXP = /zoneinfo\/(.+)$/;
const RFC3339_STAMP_REGEXP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) /;
const BSD_STAMP_REGEXP = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;
const ZONE_REGEXP = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * Parses what {@linkcode SURVEY_SCRIPT} printed into a {@linkcode DeckySurvey}.
 * Pure and forgiving: a missing section or a malformed line (a decky's files
 * are not to be trusted) is left out, never thrown on.
 *
 * @param output the script's stdout
 * @param marker the section marker the script was given as `$1`
 * @returns what the decky holds and runs
 * @throws {RangeError} when the marker is not 8-64 plain characters
 * @example
 * ```ts
 * import { parseSurvey } from "./parse_survey.ts";
 * import { isDaemonRunning } from "./is_daemon_running.ts";
 * declare const stdout: string;
 * const survey = parseSurvey(stdout, "b1f0c9a2d4e6");
 * isDaemonRunning(survey, "cron");
 * ```
 */
export function parseSurvey(output: string, marker: string): DeckySurvey {
  if (!MARKER_REGEXP.test(marker)) {
    throw new RangeError(
      `Cannot parse survey: marker must be 8-64 plain characters, got "${marker}"`,
    );
  }
  const sections = splitSections(output, marker);
  const lines = (name: string): string[] => sections.get(name) ?? [];
  const first = (name: string): string | null => {
    const line = lines(name).find((l) => l.trim() !== "");
    return line === undefined ? null : line.trim();
  };

  const clockSeconds = Number(first("clock"));
  const clock = Number.isFinite(clockSeconds) && clockSeconds > 0
    ? new Date(clockSeconds * 1000)
    : null;
  const uptime = Number((first("uptime") ?? "").split(" ")[0]);
  const bootedAt = clock && Number.isFinite(uptime) && uptime >= 0
    ? new Date(clock.getTime() - Math.round(uptime * 1000))
    : null;
  const osRelease = parseKeyValues(lines("os-release"));
  const groups = parseGroups(lines("group"));
  const selfPid = Number(first("self"));
  const processes = parseProcesses(lines("processes"), selfPid);
  const packages = parsePackages(lines("packages"));
  const binaries = new Set(lines("binaries").map((l) => l.trim()));
  const routes = parseRoutes(lines("route"));

  return {
    clock,
    bootedAt,
    hostname: first("hostname"),
    timeZone: parseTimeZone(first("timezone"), first("localtime")),
    os: {
      id: osRelease.get("ID") ?? null,
      versionId: osRelease.get("VERSION_ID") ?? null,
      versionCodename: osRelease.get("VERSION_CODENAME") ?? null,
      prettyName: osRelease.get("PRETTY_NAME") ?? null,
      debianVersion: first("debian-version"),
    },
    installedAt: parseDpkgStamp(first("dpkg-first")),
    users: parseUsers(lines("passwd"), groups),
    groups,
    processes,
    daemons: DAEMONS.flatMap((d): SurveyDaemon[] => {
      const pids = processes.filter((p) => d.comms.includes(p.comm)).map((p) => p.pid);
      const installed = d.binaries.some((b) => binaries.has(b));
      if (!installed && pids.length === 0) return [];
      const version = d.debianPackage ? packages[d.debianPackage] ?? null : null;
      return [{ name: d.name, installed, pids, packageVersion: version }];
    }),
    packages,
    sshVersion: parseSshVersion(first("ssh-version")),
    logFiles: withTails(parseStatLines(lines("logs")), lines("log-tails")),
    mailLocation: first("mail-location"),
    mailDirs: parseStatLines(lines("mail-dirs")),
    addresses: parseLocalAddresses(lines("fib-trie")),
    routes,
    gateway: routes.find((r) => r.destination === "0.0.0.0/0")?.gateway ?? null,
    peers: parseArp(lines("arp")),
    dockerenv: first("dockerenv") === "yes",
    resolver: parseResolver(lines("resolv")),
  };
}

function splitSections(output: string, marker: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  const prefix = `${marker} `;
  for (const line of output.split("\n")) {
    if (line.startsWith(prefix)) {
      const name = line.slice(prefix.length).trim();
      // A repeated section name keeps the first one (nothing legitimate repeats).
      current = sections.has(name) ? null : [];
      if (current) sections.set(name, current);
    } else if (current) current.push(line);
  }
  return sections;
}

function parseKeyValues(lines: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
      value = value.slice(1, -1);
    }
    map.set(line.slice(0, eq).trim(), value);
  }
  return map;
}

function parseTimeZone(timezone: string | null, localtime: string | null): string | null {
  if (timezone && ZONE_REGEXP.test(timezone)) return timezone;
  const m = localtime ? ZONEINFO_REGEXP.exec(localtime) : null;
  return m && ZONE_REGEXP.test(m[1]) ? m[1] : null;
}

function parseDpkgStamp(line: string | null): Date | null {
  const m = line ? DPKG_STAMP_REGEXP.exec(line) : null;
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? null : date;
}

function toId(text: string): number | null {
  return /^\d{1,10}$/.test(text) ? Number(text) : null;
}

function parseGroups(lines: string[]): SurveyGroup[] {
  const groups: SurveyGroup[] = [];
  for (const line of lines) {
    const f = line.split(":");
    if (f.length < 4 || f[0] === "") continue;
    const gid = toId(f[2]);
    if (gid === null) continue;
    groups.push({ name: f[0], gid, members: f[3].split(",").filter((m) => m !== "") });
  }
  return groups;
}

function parseUsers(lines: string[], groups: SurveyGroup[]): SurveyUser[] {
  const users: SurveyUser[] = [];
  for (const line of lines) {
    const f = line.split(":");
    if (f.length < 7 || f[0] === "") continue;
    const uid = toId(f[2]);
    const gid = toId(f[3]);
    if (uid === null || gid === null) continue;
    users.push({
      login: f[0],
      uid,
      gid,
      group: groups.find((g) => g.gid === gid)?.name ?? String(gid),
      realName: f[4].split(",")[0],
      home: f[5],
      shell: f.slice(6).join(":"),
    });
  }
  return users;
}

// "<stat>\t<cmdline>": stat is "pid (comm) state ppid ..."; comm may hold
// spaces and parentheses, so it ends at the last ") ".
function parseProcesses(lines: string[], selfPid: number): SurveyProcess[] {
  const all: SurveyProcess[] = [];
  for (const line of lines) {
    const open = line.indexOf(" (");
    const close = line.lastIndexOf(") ");
    if (open <= 0 || close < open) continue;
    const pid = toId(line.slice(0, open));
    const rest = line.slice(close + 2);
    const tab = rest.indexOf("\t");
    const fields = (tab >= 0 ? rest.slice(0, tab) : rest).split(" ");
    const ppid = toId(fields[1] ?? "");
    if (pid === null || ppid === null) continue;
    all.push({
      pid,
      ppid,
      comm: line.slice(open + 2, close),
      // Bounded: a process may set a command line of megabytes.
      cmdline: tab >= 0 ? rest.slice(tab + 1, tab + 1 + MAX_CMDLINE).trim() : "",
    });
  }
  // The survey's own shell and everything it started are not the decky's.
  const ours = new Set([selfPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!ours.has(p.pid) && ours.has(p.ppid)) {
        ours.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => !ours.has(p.pid));
}

function parsePackages(lines: string[]): Record<string, string> {
  const packages: Record<string, string> = {};
  for (const line of lines) {
    const [name, version, status] = line.split("\t");
    // db:Status-Abbrev "ii " is installed; "rc " (removed, config left) is not.
    if (name && version && status?.startsWith("ii")) packages[name] = version;
  }
  return packages;
}

function parseSshVersion(line: string | null): string | null {
  if (!line || !line.startsWith("OpenSSH_")) return null;
  return line.split(",")[0].trim();
}

// "%a\t%U\t%G\t%u\t%g\t%s\t%Y\t%F\t%n" per file.
function parseStatLines(lines: string[]): SurveyLogFile[] {
  const files: SurveyLogFile[] = [];
  for (const line of lines) {
    const f = line.split("\t");
    if (f.length < 9) continue;
    const path = f.slice(8).join("\t");
    const kind = f[7] === "directory" ? "directory" : f[7].startsWith("regular") ? "file" : null;
    const uid = toId(f[3]);
    const gid = toId(f[4]);
    const size = toId(f[5]);
    const mtime = toId(f[6]);
    if (
      !/^[0-7]{1,4}$/.test(f[0]) || kind === null || uid === null || gid === null ||
      size === null || mtime === null || !path.startsWith("/")
    ) continue;
    files.push({
      path,
      kind,
      owner: f[1],
      group: f[2],
      uid,
      gid,
      mode: parseInt(f[0], 8),
      size,
      mtime: new Date(mtime * 1000),
      lastLine: null,
      stampFormat: null,
    });
  }
  return files;
}

function withTails(files: SurveyLogFile[], tails: string[]): SurveyLogFile[] {
  const byPath = new Map<string, string>();
  for (const line of tails) {
    const tab = line.indexOf("\t");
    if (tab > 0 && !byPath.has(line.slice(0, tab))) {
      byPath.set(line.slice(0, tab), line.slice(tab + 1));
    }
  }
  return files.map((f) => {
    const last = byPath.get(f.path);
    if (last === undefined || last === "") return f;
    const stampFormat = RFC3339_STAMP_REGEXP.test(last)
      ? "rfc3339"
      : BSD_STAMP_REGEXP.test(last)
      ? "bsd"
      : null;
    return { ...f, lastLine: last, stampFormat };
  });
}

// /proc/net/fib_trie: an address line "|-- 172.18.0.2" followed by
// "/32 host LOCAL" is one of the machine's own addresses.
function parseLocalAddresses(lines: string[]): string[] {
  const addresses: string[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = /^[\s|+`-]*-- (\S+)$/.exec(lines[i]);
    if (!m || !IPV4_REGEXP.test(m[1])) continue;
    if (!/^\s*\/32 host LOCAL\s*$/.test(lines[i + 1])) continue;
    if (m[1].startsWith("127.") || addresses.includes(m[1])) continue;
    addresses.push(m[1]);
  }
  return addresses;
}

// /proc/net/route holds addresses as little-endian hex.
function hexToIpv4(hex: string): string | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join(".");
}

function prefixLength(mask: string): number {
  return mask.split(".").reduce((bits, octet) => {
    let n = Number(octet);
    let count = 0;
    while (n) {
      count += n & 1;
      n >>= 1;
    }
    return bits + count;
  }, 0);
}

function parseRoutes(lines: string[]): SurveyRoute[] {
  const routes: SurveyRoute[] = [];
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[0] === "Iface") continue;
    const destination = hexToIpv4(f[1]);
    const gateway = hexToIpv4(f[2]);
    const mask = hexToIpv4(f[7]);
    if (destination === null || gateway === null || mask === null) continue;
    routes.push({
      iface: f[0],
      destination: `${destination}/${prefixLength(mask)}`,
      gateway: gateway === "0.0.0.0" ? null : gateway,
    });
  }
  return routes;
}

function parseArp(lines: string[]): SurveyPeer[] {
  const peers: SurveyPeer[] = [];
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || !IPV4_REGEXP.test(f[0])) continue;
    // Flag 0x2 (ATF_COM): the neighbour answered; incomplete entries are not peers.
    if ((parseInt(f[2], 16) & 2) === 0) continue;
    const mac = f[3].toLowerCase();
    if (!MAC_REGEXP.test(mac) || mac === "00:00:00:00:00:00") continue;
    peers.push({ ip: f[0], mac, iface: f[5] });
  }
  return peers;
}

function parseResolver(lines: string[]): DeckySurvey["resolver"] {
  const nameservers: string[] = [];
  const search: string[] = [];
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f[0] === "nameserver" && f[1]) nameservers.push(f[1]);
    if ((f[0] === "search" || f[0] === "domain") && f.length > 1) search.push(...f.slice(1));
  }
  return { nameservers, search };
}
