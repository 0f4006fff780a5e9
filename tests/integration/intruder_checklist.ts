// An intruder's first ten minutes on a decky, as checks. Each check is named
// after the tell it looks for (issue #13, "Decky side") and is a pure function
// of the views intruder_view.ts gathers (and of the other deckies' views, for
// tells seen only side by side), so each can be tried on a deliberately bad
// fixture (intruder_checklist_self_test.ts).
import {
  address,
  allLogLines,
  authLog,
  connectedNets,
  homeStat,
  installTime,
  type IntruderView,
  ipNumber,
  lineProgram,
  lines,
  lineTime,
  logs,
  logStat,
  messages,
  passwd,
  processes,
  running,
  sectionFiles,
  skelPaths,
  userFiles,
} from "./intruder_view.ts";

export { gatherIntruderView } from "./intruder_view.ts";
export type { IntruderView } from "./intruder_view.ts";

/** One check: `run` returns what it found (empty: no tell). */
export interface IntruderCheck {
  name: string;
  /** The tell, as an intruder would put it. */
  tell: string;
  run(view: IntruderView, others: readonly IntruderView[]): string[];
}

/** A tell found on a decky. */
export interface IntruderHit {
  decky: string;
  check: string;
  detail: string;
}

/** Runs every check on every view; returns the hits. */
export function runIntruderChecklist(
  views: readonly IntruderView[],
  checks: readonly IntruderCheck[] = INTRUDER_CHECKS,
): IntruderHit[] {
  const hits: IntruderHit[] = [];
  for (const view of views) {
    const others = views.filter((v) => v !== view);
    for (const check of checks) {
      for (const detail of check.run(view, others)) {
        hits.push({ decky: view.decky, check: check.name, detail });
      }
    }
  }
  return hits;
}

// Package names only npm has (never on PyPI under that name as a common pip download).
const NPM_ONLY = ["lodash", "express", "react-dom", "webpack", "left-pad", "eslint", "typescript"];

/** Every check, in the order of the issue's list. */
export const INTRUDER_CHECKS: readonly IntruderCheck[] = [
  // -- logs --
  {
    name: "log-owner-mode",
    tell: "a system log not root:adm 0640 (e.g. auth.log 0644 owned by a user)",
    run: (v) =>
      logStat(v["log-stat"]).filter((f) =>
        /\/(auth\.log|syslog|cron\.log|daemon\.log|messages|mail\.log|kern\.log|user\.log)(\.\d+)?$/
          .test(f.path) && (f.owner !== "root" || f.group !== "adm" || f.mode !== 0o640)
      ).map((f) => `${f.path} ${f.owner}:${f.group} ${f.mode.toString(8)}`),
  },
  {
    name: "log-owned-by-user",
    tell: "a file under /var/log owned by a login user",
    run: (v) => {
      const users = new Set(
        passwd(v).filter((p) => p.uid >= 1000 && p.uid < 60000).map((p) => p.login),
      );
      return logStat(v["log-stat"]).filter((f) => users.has(f.owner)).map((f) =>
        `${f.path} ${f.owner}`
      );
    },
  },
  {
    name: "auth-uid-mismatch",
    tell: "auth.log's session uid differs from /etc/passwd",
    run: (v) => {
      const uids = new Map(passwd(v).map((p) => [p.login, p.uid]));
      return [...authLog(v).matchAll(/session opened for user (\S+)\(uid=(\d+)\)/g)]
        .filter(([, login, uid]) => uids.get(login) !== Number(uid))
        .map(([, login, uid]) => `${login} uid=${uid}, passwd ${uids.get(login) ?? "none"}`);
    },
  },
  {
    name: "auth-publickey-without-key",
    tell: "Accepted publickey for a user with no authorized_keys",
    run: (v) => {
      const keyed = new Set(
        lines(v["ssh-files"]).filter((l) => l.split("\t")[0].endsWith("/authorized_keys"))
          .map((l) => l.split("\t")[0].replace(/\/\.ssh\/authorized_keys$/, "")),
      );
      const homes = new Map(passwd(v).map((p) => [p.login, p.home]));
      return [
        ...new Set([...authLog(v).matchAll(/Accepted publickey for (\S+)/g)].map((m) => m[1])),
      ]
        .filter((login) => !keyed.has(homes.get(login) ?? ""))
        .map((login) => `${login} has no ~/.ssh/authorized_keys`);
    },
  },
  {
    name: "auth-peer-off-lan",
    tell: "a login from an address on no network this box is on",
    run: (v) => {
      const nets = connectedNets(v);
      const ips = new Set(
        [...authLog(v).matchAll(/Accepted \S+ for \S+ from (\d+\.\d+\.\d+\.\d+)/g)].map((m) =>
          m[1]
        ),
      );
      return [...ips].filter((ip) => {
        const n = ipNumber(ip)!;
        return !nets.some(([net, mask]) => ((n & mask) >>> 0) === net);
      }).map((ip) => `login from ${ip}`);
    },
  },
  {
    name: "auth-session-unclosed",
    tell: "sshd session lines with no close and no live sshd (forged lines)",
    run: (v) => {
      const text = authLog(v);
      const live = new Set(processes(v).map((p) => p.pid));
      const closed = new Set(
        [...text.matchAll(/sshd\[(\d+)\]: pam_unix\(sshd:session\): session closed/g)].map((m) =>
          m[1]
        ),
      );
      return [
        ...text.matchAll(/sshd\[(\d+)\]: pam_unix\(sshd:session\): session opened for user (\S+)/g),
      ]
        .filter(([, pid]) => !closed.has(pid) && !live.has(Number(pid)))
        .map(([, pid, user]) => `sshd[${pid}] ${user}`);
    },
  },
  {
    name: "log-without-daemon",
    tell: "syslog files growing with no syslog daemon, CRON lines with no cron",
    run: (v) => {
      const out: string[] = [];
      const now = Number(v.clock);
      const bootish = now - 3600;
      const syslogd = running(v, "rsyslogd", "syslog-ng", "syslogd");
      for (const f of logStat(v["log-stat"])) {
        const live = /\/(auth\.log|syslog|cron\.log|daemon\.log|messages|mail\.log)$/.test(f.path);
        if (live && !syslogd && f.mtime > bootish) {
          out.push(`${f.path} written with no syslog daemon`);
        }
      }
      if (!running(v, "cron", "crond") && allLogLines(v).some((l) => / CRON\[\d+\]:/.test(l))) {
        out.push("CRON lines with no cron running");
      }
      return out;
    },
  },
  {
    name: "log-program-not-installed",
    tell:
      "log lines from programs the box does not have (dhclient, smartd, systemd[1] without systemd)",
    run: (v) => {
      const have = new Set(lines(v.executables));
      const pid1 = lines(v.pid1)[1] ?? "";
      const out = new Set<string>();
      for (const line of allLogLines(v)) {
        const prog = lineProgram(line);
        if (!prog || prog === "kernel") continue;
        if (prog === "systemd" && pid1 !== "systemd" && /systemd\[1\]/.test(line)) {
          out.add("systemd[1]");
        } else if (
          !have.has(prog) && !have.has(prog.toLowerCase()) && prog !== "CRON" &&
          !/^pam_|^sudo$|^su$/.test(prog)
        ) {
          out.add(prog);
        }
      }
      return [...out].map((p) => `lines from ${p}`);
    },
  },
  {
    name: "rotated-log-mtime",
    tell: "a rotated log's mtime hours after its last line",
    run: (v) => {
      const year = new Date(Number(v.clock) * 1000).getUTCFullYear();
      const stat = new Map(logStat(v["log-stat"]).map((f) => [f.path, f.mtime]));
      const out: string[] = [];
      for (const [path, text] of logs(v)) {
        if (!path.endsWith(".1")) continue;
        const last = lines(text).at(-1);
        const t = last ? lineTime(last, year) : undefined;
        const mtime = stat.get(path);
        if (t !== undefined && mtime !== undefined && mtime - t > 3600) {
          out.push(`${path} mtime ${Math.round((mtime - t) / 3600)} h after its last line`);
        }
      }
      return out;
    },
  },
  // -- processes and ssh traffic --
  {
    name: "helper-process",
    tell: "a process with PPID 0 besides init, or a scripted socket client",
    run: (v) =>
      processes(v).filter((p) =>
        (p.pid !== 1 && p.ppid === 0) || /python3? -c .*socket|SSH-2\.0-/.test(p.args)
      ).map((p) => `${p.pid} ppid ${p.ppid}: ${p.args.slice(0, 80)}`),
  },
  {
    name: "banner-only-sessions",
    tell: "ssh connections from LAN peers that never get past the banner",
    run: (v) => {
      const text = authLog(v);
      const none = [...text.matchAll(/Did not receive identification string|banner exchange: /g)];
      // sshd 9.x logs a client that leaves before authenticating as "[preauth]" closes; a few
      // are scanners, dozens from the LAN are a script grabbing banners.
      const preauth = [
        ...text.matchAll(
          /Connection (?:closed|reset) by (\d+\.\d+\.\d+\.\d+) port \d+ \[preauth\]/g,
        ),
      ];
      const out: string[] = [];
      if (none.length) out.push(`${none.length} connections without an identification string`);
      if (preauth.length > 10) {
        out.push(`${preauth.length} connections closed before authentication`);
      }
      return out;
    },
  },
  // -- bait --
  {
    name: "same-bait-everywhere",
    tell: "the same user files at the same paths on every decky",
    run: (v, others) => {
      const mine = new Set(userFiles(v).map((r) => r.path));
      if (mine.size === 0 || others.length === 0) return [];
      return others.filter((o) => {
        const theirs = new Set(userFiles(o).map((r) => r.path));
        return theirs.size === mine.size && [...mine].every((p) => theirs.has(p));
      }).map((o) => `same ${mine.size} user files as ${o.decky}`);
    },
  },
  {
    name: "git-incomplete",
    tell: "a .git directory without HEAD, objects or refs",
    run: (v) =>
      lines(v["git-dirs"]).filter((l) => {
        const have = l.split("\t")[1] ?? "";
        return !["HEAD", "objects", "refs"].every((e) => have.split(" ").includes(e));
      }).map((l) => `${l.split("\t")[0]} has only: ${l.split("\t")[1] || "nothing"}`),
  },
  {
    name: "callback-not-routable",
    tell: "a URL at a loopback, IP-literal or documentation address in a user's file",
    run: (v) => {
      const out: string[] = [];
      for (const [path, text] of sectionFiles(v["text-files"])) {
        const m = /\bhttps?:\/\/(localhost|\[::1\]|\d+\.\d+\.\d+\.\d+)[:/]/.exec(text);
        if (m) out.push(`${path}: ${m[0]}`);
      }
      return out;
    },
  },
  {
    name: "unresolvable-host",
    tell: "an internal host name in a config file that /etc/hosts does not know",
    run: (v) => {
      const known = new Set(
        lines(v.hosts).flatMap((l) => l.replace(/#.*/, "").trim().split(/\s+/).slice(1)),
      );
      known.add(lines(v.hostname)[0] ?? "");
      const out = new Set<string>();
      for (const [path, text] of sectionFiles(v["text-files"])) {
        for (
          const m of text.matchAll(
            /\b(?:[A-Z_]*HOST|host|hostname|server)\s*[=:]\s*["']?([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:internal|local|lan|corp|intra))\b/g,
          )
        ) {
          if (!known.has(m[1])) out.add(`${path}: ${m[1]}`);
        }
      }
      return [...out];
    },
  },
  // -- history --
  {
    name: "files-without-history",
    tell: "a user with files of their own and no .bash_history",
    run: (v) => {
      const byHome = new Map<string, number>();
      // Dovecot keeps its indexes in the home of a user who only reads mail over
      // IMAP: a real mail host has such users, with no shell history.
      const own = userFiles(v).filter((r) => !/\/\.imap\/|\/dovecot[^/]*$/.test(r.path));
      for (const r of own) {
        const home = r.path.split("/").slice(0, 3).join("/");
        byHome.set(home, (byHome.get(home) ?? 0) + 1);
      }
      const history = new Set(
        homeStat(v).filter((r) => r.path.endsWith("/.bash_history") && r.size > 0).map((r) =>
          r.path.replace(/\/\.bash_history$/, "")
        ),
      );
      return [...byHome].filter(([home, n]) => n >= 3 && !history.has(home)).map(([home, n]) =>
        `${home}: ${n} files, no .bash_history`
      );
    },
  },
  {
    name: "empty-wtmp",
    tell: "sessions in auth.log but `last` shows no login (boot records aside)",
    run: (v) =>
      /session opened for user/.test(authLog(v)) &&
        !lines(v.last).some((l) => !/^(reboot|shutdown|runlevel) /.test(l))
        ? ["auth.log has sessions, wtmp none"]
        : [],
  },
  {
    name: "no-known-hosts",
    tell: "ssh activity between machines but no known_hosts anywhere",
    run: (v) =>
      /Accepted \S+ for/.test(authLog(v)) &&
        !lines(v["ssh-files"]).some((l) => l.split("\t")[0].endsWith("/known_hosts"))
        ? ["logins in auth.log, no known_hosts in any home"]
        : [],
  },
  // -- file dates --
  {
    name: "zero-nanoseconds",
    tell: "user files' mtimes with .000000000 nanoseconds",
    run: (v) => {
      const files = userFiles(v);
      const zero = files.filter((r) => /^0+$/.test(r.nanos));
      return files.length >= 3 && zero.length * 2 >= files.length
        ? [`${zero.length} of ${files.length} user files at whole seconds`]
        : [];
    },
  },
  {
    name: "predates-install",
    tell: "user files older than the OS install",
    run: (v) => {
      const installed = installTime(v);
      if (installed === undefined) return [];
      const old = userFiles(v).filter((r) => r.mtime < installed - 60);
      return old.length ? [`${old.length} files predate the install, e.g. ${old[0].path}`] : [];
    },
  },
  {
    name: "home-newer-than-contents",
    tell: "a home directory days newer than anything in it",
    run: (v) => {
      const rows = homeStat(v);
      const skel = skelPaths(v);
      const out: string[] = [];
      for (const home of rows.filter((r) => r.type === "d" && /^\/home\/[^/]+$/.test(r.path))) {
        // Skel copies keep the package's dates: only the user's own entries count.
        const children = rows.filter((r) =>
          r.path.startsWith(`${home.path}/`) && !r.path.slice(home.path.length + 1).includes("/") &&
          !skel.has(r.path)
        );
        const newest = Math.max(...children.map((c) => c.mtime));
        if (children.length && home.mtime - newest > 86_400) {
          out.push(
            `${home.path} ${
              Math.round((home.mtime - newest) / 86_400)
            } days newer than its entries`,
          );
        }
      }
      return out;
    },
  },
  // -- mail --
  {
    name: "mail-outside-store",
    tell: "mail in a place the IMAP server does not read",
    run: (v) => {
      const location = lines(v["mail-location"])[0] ?? "";
      const inbox = /INBOX=([^:]+)/.exec(location)?.[1]?.replace("%u", "") ?? "/var/mail/";
      const homeDir = /^(?:mbox|maildir):~\/([^:]+)/.exec(location)?.[1];
      return [...new Set(messages(v).map((m) => m.path))].filter((p) =>
        !p.startsWith(inbox.endsWith("/") ? inbox : inbox.replace(/[^/]*$/, "")) &&
        !(homeDir && /^\/home\/[^/]+\//.test(p) &&
          p.split("/").slice(3).join("/").startsWith(homeDir))
      ).map((p) => p);
    },
  },
  {
    name: "mail-without-received",
    tell: "stored mail without Received or Return-Path",
    run: (v) =>
      messages(v).filter((m) => !m.headers.has("received") || !m.headers.has("return-path"))
        .map((m) => `${m.path} ${m.headers.get("message-id")?.[0]}`).slice(0, 5),
  },
  {
    name: "mail-crlf",
    tell: "CRLF line ends in a Unix mail store",
    run: (v) => [...new Set(messages(v).filter((m) => m.crlf).map((m) => m.path))],
  },
  {
    name: "mail-owner-mode",
    tell: "a mailbox owned by root or world-readable (Debian: user:mail 0660)",
    run: (v) =>
      logStat(v["mail-stat"]).filter((f) =>
        messages(v).some((m) => m.path === f.path) && (f.owner === "root" || (f.mode & 0o004) !== 0)
      ).map((f) => `${f.path} ${f.owner} ${f.mode.toString(8)}`),
  },
  {
    name: "mail-without-mta",
    tell: "mail on a box with no MTA",
    run: (v) => {
      const have = new Set(lines(v.executables));
      return messages(v).length > 0 &&
          !["sendmail", "exim4", "postfix", "exim"].some((b) => have.has(b))
        ? [`${messages(v).length} messages, no sendmail/exim/postfix`]
        : [];
    },
  },
  {
    name: "mail-self-reply",
    tell: "a reply to one's own message",
    run: (v) => {
      const all = messages(v);
      const fromOf = new Map(
        all.map((m) => [m.headers.get("message-id")![0], address(m.headers.get("from")?.[0])]),
      );
      return all.filter((m) => {
        const parent = m.headers.get("in-reply-to")?.[0];
        return parent && fromOf.get(parent) === address(m.headers.get("from")?.[0]);
      }).map((m) => `${m.headers.get("message-id")![0]} answers its own sender`);
    },
  },
  // -- documents --
  {
    name: "doc-signer-not-user",
    tell: "a document signed by someone with no account here",
    run: (v) => {
      const names = new Set(passwd(v).map((p) => p.gecos.split(",")[0]).filter(Boolean));
      const out: string[] = [];
      for (const [path, text] of sectionFiles(v["text-files"])) {
        for (
          const m of text.replace(/<[^>]+>/g, "\n").matchAll(
            /(?:Prepared by|Author|Signed|Regards|Best|Thanks|Cheers),?:?\s*\n?\s*([A-Z][a-z]+(?: [A-Z][a-z'-]+)+)/g,
          )
        ) {
          if (!names.has(m[1])) out.push(`${path}: ${m[1]}`);
        }
      }
      return out;
    },
  },
  {
    name: "doc-repeated-sentence",
    tell: "the same sentence twice in one document",
    run: (v) => {
      const out: string[] = [];
      for (const [path, text] of sectionFiles(v["text-files"])) {
        if (!/\/Documents\//.test(path)) continue;
        const sentences = text.replace(/<[^>]+>/g, " ").split(/(?<=[.!?])\s+/).map((s) => s.trim())
          .filter((s) => s.split(/\s+/).length >= 6);
        const seen = new Set<string>();
        const twice = sentences.find((s) => seen.has(s) || !seen.add(s));
        if (twice) out.push(`${path}: "${twice.slice(0, 60)}"`);
      }
      return out;
    },
  },
  {
    name: "pip-cache-npm-names",
    tell: "a pip cache listing npm packages",
    run: (v) =>
      [...sectionFiles(v["text-files"])].filter(([path, text]) =>
        /\/\.cache\/pip\//.test(path) && NPM_ONLY.some((n) => new RegExp(`\\b${n}\\b`).test(text))
      ).map(([path]) => path),
  },
  // -- the container itself --
  {
    name: "dockerenv",
    tell: "/.dockerenv exists",
    run: (v) => (lines(v.dockerenv).length ? ["/.dockerenv"] : []),
  },
  {
    name: "docker-resolver",
    tell: "resolv.conf names Docker's resolver 127.0.0.11 or is Docker's",
    run: (
      v,
    ) => (/127\.0\.0\.11|Docker|ExtServers/.test(v.resolv) ? [lines(v.resolv).join(" | ")] : []),
  },
  {
    name: "docker-hosts",
    tell: "/etc/hosts as Docker writes it (ip6-localnet, the container's address, no own name)",
    run: (v) => {
      const host = lines(v.hostname)[0] ?? "";
      const own = lines(v.hosts).some((l) =>
        /^127\.0\.1\.1\s/.test(l) && l.split(/\s+/).includes(host)
      );
      return /ip6-localnet|ip6-mcastprefix/.test(v.hosts) || !own
        ? [lines(v.hosts).join(" | ")]
        : [];
    },
  },
  {
    name: "container-hostname",
    tell: "a host name that is a container id",
    run: (v) => (/^[0-9a-f]{12}$/.test(lines(v.hostname)[0] ?? "") ? [v.hostname] : []),
  },
  {
    name: "pid1-not-init",
    tell: "PID 1 is docker-init, sleep or a script, not the distribution's init",
    run: (v) => {
      const [cmdline, comm] = lines(v.pid1);
      const distro =
        /^(init \[[0-6S]\]|\/sbin\/init( splash)?|\/lib\/systemd\/systemd( .*)?|\/usr\/lib\/systemd\/systemd( .*)?)$/
          .test((cmdline ?? "").trim());
      return distro && (comm === "init" || comm === "systemd")
        ? []
        : [`PID 1: ${cmdline} (${comm})`];
    },
  },
  {
    name: "pid1-cgroup",
    tell: "/proc/1/cgroup names docker",
    run: (
      v,
    ) => (/docker|kubepods|containerd/.test(v["pid1-cgroup"]) ? [lines(v["pid1-cgroup"])[0]] : []),
  },
];
