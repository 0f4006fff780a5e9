// What an intruder's root shell shows on a decky, gathered by one bash
// script (ls, stat with nanoseconds, ps, logs, passwd, last, the mail store,
// /proc), and the readers the checks of intruder_checklist.ts share. It never
// uses the product's own survey, so a bug shared with the product cannot hide
// a tell.
import type { DockerClient } from "../../core/docker/mod.ts";

/** The raw output of the gathering script: section name -> text. */
export type IntruderView = Readonly<Record<string, string>> & { readonly decky: string };

const SECTIONS = [
  "self",
  "clock",
  "pid1",
  "pid1-cgroup",
  "dockerenv",
  "hostname",
  "hosts",
  "resolv",
  "ps",
  "passwd",
  "route",
  "executables",
  "install",
  "log-stat",
  "logs",
  "home-stat",
  "skel",
  "ssh-files",
  "git-dirs",
  "text-files",
  "last",
  "mail-location",
  "mail-stat",
  "mail-files",
] as const;

// Sections start with "<marker> <name>"; files inside a section with
// "<marker>F <path>". The marker is random per run.
const SCRIPT = String.raw`
m="$1"; export LC_ALL=C
sec() { printf '%s %s\n' "$m" "$1"; }
file() { printf '%sF %s\n' "$m" "$1"; }
sec self; echo "$$"
sec clock; date +%s
sec pid1; tr '\000' ' ' < /proc/1/cmdline; echo; cat /proc/1/comm
sec pid1-cgroup; cat /proc/1/cgroup
sec dockerenv; ls -a / | grep -x '.dockerenv'
sec hostname; hostname
sec hosts; cat /etc/hosts
sec resolv; cat /etc/resolv.conf
sec ps; ps -eo pid=,ppid=,comm=,args=
sec passwd; cat /etc/passwd
sec route; cat /proc/net/route
sec executables; ls /usr/sbin /usr/bin /sbin /bin /usr/local/bin /usr/local/sbin /usr/lib/openssh 2>/dev/null | sort -u
sec install; zcat -f $(ls -r /var/log/dpkg.log* 2>/dev/null) 2>/dev/null | head -n 1
sec log-stat; find /var/log -xdev -type f -printf '%u\t%g\t%m\t%T@\t%p\n'
sec logs
for f in /var/log/auth.log /var/log/syslog /var/log/cron.log /var/log/daemon.log /var/log/messages /var/log/mail.log /var/log/*.1; do
  [ -f "$f" ] || continue; file "$f"; tail -n 4000 "$f" | tr -d '\r'
done
sec home-stat; find /home /root -xdev -printf '%u\t%m\t%T@\t%s\t%y\t%p\n'
sec skel
for h in /home/* /root; do
  [ -d "$h" ] || continue
  (cd /etc/skel && find . -type f) | while read -r f; do cmp -s "/etc/skel/$f" "$h/$f" && echo "$h/$f" | sed 's|/\./|/|'; done
done
sec ssh-files; find /home /root -xdev \( -name authorized_keys -o -name known_hosts \) -printf '%p\t%s\n'
sec git-dirs
find / -xdev -type d -name .git 2>/dev/null | while read -r g; do
  printf '%s\t%s\n' "$g" "$(cd "$g" && for e in HEAD objects refs; do [ -e "$e" ] && printf '%s ' "$e"; done)"
done
sec text-files
find /home /root /srv /opt /var/www -xdev -type f -size -48k 2>/dev/null | while read -r f; do
  grep -Iq . "$f" 2>/dev/null || continue
  file "$f"; head -c 48000 "$f" | tr -d '\r'; echo
done | head -c 4000000
sec last; last -w -F 2>/dev/null | grep -v '^wtmp begins' | grep .
sec mail-location; command -v doveconf >/dev/null && doveconf -h mail_location
sec mail-stat; find /var/mail /var/spool -xdev -type f -printf '%u\t%g\t%m\t%T@\t%p\n' 2>/dev/null
sec mail-files
for f in $(grep -rlsI -m 1 '^Message-ID:' /var/mail /var/spool /home /root /srv 2>/dev/null | head -n 500); do
  file "$f"; head -c 64000 "$f" | grep -q $'\r' && echo "@@CRLF@@"; head -c 64000 "$f" | tr -d '\r'; echo
done
sec end
`;

/**
 * Runs the gathering script on `container` as root (an intruder who got sudo)
 * and returns its sections.
 */
export async function gatherIntruderView(
  docker: DockerClient,
  container: string,
  decky: string,
): Promise<IntruderView> {
  const marker = `@${crypto.randomUUID().replaceAll("-", "")}`;
  const r = await docker.exec(container, ["bash", "-c", SCRIPT, "bash", marker], {
    user: "0",
    timeoutMs: 60_000,
  });
  const out = new TextDecoder().decode(r.stdout);
  if (r.exitCode !== 0 || !out.includes(`${marker} end`)) {
    throw new Error(
      `Cannot gather the intruder view of ${container}: exit ${r.exitCode}, got "${
        new TextDecoder().decode(r.stderr).slice(0, 300)
      }"`,
    );
  }
  const view: Record<string, string> = { decky };
  let current = "";
  const lines: string[] = [];
  const flush = () => {
    if (current) view[current] = lines.join("\n");
    lines.length = 0;
  };
  for (const line of out.split("\n")) {
    if (line.startsWith(`${marker} `)) {
      flush();
      current = line.slice(marker.length + 1);
    } else if (line.startsWith(`${marker}F `)) {
      lines.push(`@@FILE ${line.slice(marker.length + 2)}`);
    } else lines.push(line);
  }
  flush();
  for (const s of SECTIONS) view[s] ??= "";
  return view as IntruderView;
}

// ---- reading the sections ----

export const lines = (text: string | undefined) => (text ?? "").split("\n").filter((l) => l !== "");

/** Files of a section that holds `@@FILE path` headers: path -> text. */
export function sectionFiles(text: string | undefined): Map<string, string> {
  const files = new Map<string, string>();
  let path: string | null = null;
  let body: string[] = [];
  const flush = () => {
    if (path !== null) files.set(path, body.join("\n"));
  };
  for (const line of (text ?? "").split("\n")) {
    if (line.startsWith("@@FILE ")) {
      flush();
      path = line.slice(7);
      body = [];
    } else body.push(line);
  }
  flush();
  return files;
}

export interface Passwd {
  login: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
}

export function passwd(view: IntruderView): Passwd[] {
  return lines(view.passwd).map((l) => {
    const f = l.split(":");
    return { login: f[0], uid: Number(f[2]), gid: Number(f[3]), gecos: f[4] ?? "", home: f[5] };
  });
}

export interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  args: string;
}

/** ps without the gathering script's own process tree. */
export function processes(view: IntruderView): Proc[] {
  const all = lines(view.ps).map((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s*(.*)$/.exec(l)!;
    return { pid: Number(m[1]), ppid: Number(m[2]), comm: m[3], args: m[4] };
  });
  const mine = new Set([Number(view.self)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => !mine.has(p.pid));
}

export interface StatRow {
  owner: string;
  mode: number;
  mtime: number;
  /** Nanoseconds part of the mtime as printed ("%T@"). */
  nanos: string;
  size: number;
  type: string;
  path: string;
}

export function homeStat(view: IntruderView): StatRow[] {
  return lines(view["home-stat"]).map((l) => {
    const [owner, mode, t, size, type, path] = l.split("\t");
    return {
      owner,
      mode: parseInt(mode, 8),
      mtime: Number(t),
      nanos: t.split(".")[1] ?? "",
      size: Number(size),
      type,
      path,
    };
  });
}

export function logStat(
  text: string,
): { owner: string; group: string; mode: number; mtime: number; path: string }[] {
  return lines(text).map((l) => {
    const [owner, group, mode, t, path] = l.split("\t");
    return { owner, group, mode: parseInt(mode, 8), mtime: Number(t), path };
  });
}

/** Connected IPv4 networks from /proc/net/route as [network, mask] numbers. */
export function connectedNets(view: IntruderView): [number, number][] {
  const hex = (h: string) => {
    const n = parseInt(h, 16);
    // /proc/net/route is little-endian.
    return (((n & 0xff) << 24) | ((n >>> 8 & 0xff) << 16) | ((n >>> 16 & 0xff) << 8) |
      (n >>> 24)) >>> 0;
  };
  return lines(view.route).slice(1).map((l) => l.trim().split(/\s+/))
    .filter((f) => f[2] === "00000000" && f[1] !== "00000000")
    .map((f) => [hex(f[1]), hex(f[7])]);
}

export function ipNumber(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return m ? ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0 : undefined;
}

export const logs = (view: IntruderView) => sectionFiles(view.logs);
export const authLog = (view: IntruderView) => logs(view).get("/var/log/auth.log") ?? "";
export const allLogLines = (view: IntruderView) =>
  [...logs(view).values()].flatMap((t) => lines(t));
export const running = (view: IntruderView, ...names: string[]) =>
  processes(view).some((p) => names.includes(p.comm));

/** "Dec  1 09:09:26" or RFC 3339 at the start of a syslog line, as epoch seconds. */
export function lineTime(line: string, year: number): number | undefined {
  const iso = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))/.exec(line);
  if (iso) return Date.parse(iso[1]) / 1000;
  const bsd = /^([A-Z][a-z]{2}) +(\d+) (\d\d:\d\d:\d\d)/.exec(line);
  if (bsd) return Date.parse(`${bsd[1]} ${bsd[2]} ${year} ${bsd[3]} UTC`) / 1000;
  return undefined;
}

/** The program of a syslog line: "host prog[pid]:" or "host prog:". */
export function lineProgram(line: string): string | undefined {
  return /^\S+(?: +\d+ \d\d:\d\d:\d\d)? \S+ ([^\s:[]+)(?:\[\d+\])?:/.exec(line)?.[1];
}

/** Skel copies left by useradd (their dates are the package's, not the user's). */
export const skelPaths = (view: IntruderView) => new Set(lines(view.skel));

/** Regular files of users under /home, without skel copies and without the home itself. */
export function userFiles(view: IntruderView): StatRow[] {
  const skel = skelPaths(view);
  return homeStat(view).filter((r) =>
    r.type === "f" && r.path.startsWith("/home/") && !skel.has(r.path)
  );
}

export const installTime = (view: IntruderView) => {
  const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/.exec(view.install ?? "");
  return m ? Date.parse(`${m[1].replace(" ", "T")}Z`) / 1000 : undefined;
};

export interface Message {
  path: string;
  crlf: boolean;
  headers: Map<string, string[]>;
}

export function messages(view: IntruderView): Message[] {
  const out: Message[] = [];
  for (const [path, text] of sectionFiles(view["mail-files"])) {
    const crlf = text.startsWith("@@CRLF@@");
    // An mbox holds many messages, each after a "From " line.
    const chunks = text.replace(/^@@CRLF@@\n/, "").split(/\n(?=From \S+ )/);
    for (const chunk of chunks) {
      const head = chunk.replace(/^From \S+ .*\n/, "").split(/\n\n/)[0].replace(/\n[ \t]+/g, " ");
      const headers = new Map<string, string[]>();
      for (const line of head.split("\n")) {
        const i = line.indexOf(":");
        if (i <= 0) continue;
        const key = line.slice(0, i).toLowerCase();
        headers.set(key, [...headers.get(key) ?? [], line.slice(i + 1).trim()]);
      }
      if (headers.has("message-id")) out.push({ path, crlf, headers });
    }
  }
  return out;
}

export const address = (from: string | undefined) =>
  /<([^>]+)>/.exec(from ?? "")?.[1] ?? from ?? "";
