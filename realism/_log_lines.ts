import { lastLogLineAt } from "./last_log_line_at.ts";
// Folder-private syslog-shaped line generators shared by makeBody and nextIteration.
import { localWallClock, offsetMinutes } from "./_zoned_time.ts";
import { MONTHS } from "./_phrase_bank.ts";
import { pickOne, randInt } from "./_random.ts";
import type { HostFacts } from "./host_facts.ts";

const SYSLOG_TIME_REGEXP = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) /;

export interface LogContext {
  readonly rand: () => number;
  readonly host: string;
  readonly login: string;
  readonly timeZone: string;
  /** Log file path: picks the flavour (auth.log vs daemon.log). */
  readonly path: string;
  /** The decky's uids, programs and peers; without them lines are generic (uid 1000, any program). */
  readonly facts?: HostFacts;
  /** How the file's lines are stamped. @default "bsd" */
  readonly stampFormat?: SyslogStampFormat;
}

/** "bsd": `Dec  1 09:09:26`; "rfc3339": `2026-12-01T09:09:26.458148+00:00` (rsyslog on Debian 12). */
export type SyslogStampFormat = "bsd" | "rfc3339";

/** A line's timestamp in the zone, in the file's format (rfc3339 adds random microseconds). */
function stampOf(ms: number, ctx: LogContext): string {
  if (ctx.stampFormat !== "rfc3339") return syslogTime(ms, ctx.timeZone);
  const offset = offsetMinutes(ms, ctx.timeZone);
  const wall = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
  const micros = String(randInt(ctx.rand, 0, 999)).padStart(3, "0");
  const abs = Math.abs(offset);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${wall}${micros}${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A candidate line and the program that must run for it to be plausible. */
type Candidate = readonly [program: string, text: () => string];

/** "Mar  3 14:05:01" in the zone. */
export function syslogTime(ms: number, timeZone: string): string {
  const d = localWallClock(ms, timeZone);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${
    pad(d.getUTCHours())
  }:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The instant of the last syslog-stamped line, assuming the latest year not after `nowMs`. */
export function lastSyslogTime(body: string, nowMs: number, timeZone: string): number | null {
  const lines = body.trimEnd().split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = SYSLOG_TIME_REGEXP.exec(lines[i]);
    if (!m) continue;
    const month = MONTHS.indexOf(m[1] as typeof MONTHS[number]);
    const year = localWallClock(nowMs, timeZone).getUTCFullYear();
    for (const y of [year, year - 1]) {
      const wall = Date.UTC(
        y,
        month,
        Number(m[2].trim()),
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
      );
      const ms = wall - offsetMinutes(wall, timeZone) * 60_000;
      if (ms <= nowMs + 60_000) return ms;
    }
  }
  return null;
}

function cronCommands(login: string): readonly [string, string][] {
  return [
    ["root", "   cd / && run-parts --report /etc/cron.hourly"],
    ["root", "command -v debian-sa1 > /dev/null && debian-sa1 1 1"],
    [
      "root",
      "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi",
    ],
    ["root", "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )"],
    [login, `/home/${login}/bin/backup.sh >/dev/null 2>&1`],
    [login, `/home/${login}/scripts/cleanup.sh`],
    ["root", "/usr/local/sbin/check_raid.sh"],
    [login, `cd /home/${login} && ./check_disk.sh | mail -s disk ${login}`],
  ];
}

/** Syslog lines strictly after `afterMs` and at or before `untilMs`, oldest first. */
export function logLines(
  kind: "cron" | "daemon",
  ctx: LogContext,
  range: { afterMs: number; untilMs: number; count: number },
): string[] {
  const { rand, host } = ctx;
  const span = Math.max(1000, range.untilMs - range.afterMs);
  const times: number[] = [];
  for (let i = 0; i < range.count; i++) {
    let t = range.afterMs + 1000 + Math.floor(rand() * (span - 1000));
    if (kind === "cron") {
      // Cron fires on the minute; syslog shows it a second later.
      const first = Math.floor((range.afterMs - 1000) / 60_000) + 1;
      const last = Math.floor((range.untilMs - 1000) / 60_000);
      if (last >= first) t = (first + Math.floor(rand() * (last - first + 1))) * 60_000 + 1000;
    }
    times.push(t);
  }
  times.sort((a, b) => a - b);
  // The newest line is the log's last write: it sits at the end of the span.
  if (times.length > 0) {
    times[times.length - 1] = lastLogLineAt(kind, new Date(range.untilMs)).getTime();
  }
  let pid = randInt(rand, 1200, 28000);
  const out: string[] = [];
  const { facts } = ctx;
  if (kind === "cron" && facts && !facts.running.has("cron")) return [];
  // With facts, no cron line at all: the decky's real cron logs the jobs its
  // crontabs hold, and a forged line would name a job no crontab backs.
  if (kind === "cron" && facts) return [];
  const commands = cronCommands(ctx.login);
  for (const t of times) {
    pid += randInt(rand, 3, 400);
    const stamp = `${stampOf(t, ctx)} ${host}`;
    if (kind === "cron") {
      if (commands.length === 0) continue;
      const [user, cmd] = pickOne(rand, commands);
      if (rand() < 0.25) {
        out.push(
          `${stamp} CRON[${pid}]: pam_unix(cron:session): session opened for user ${user}(uid=${
            uidOf(ctx, user)
          }) by (uid=0)`,
        );
      }
      out.push(`${stamp} CRON[${pid}]: (${user}) CMD (${cmd})`);
    } else {
      const message = daemonMessage(ctx, pid);
      if (message !== null) out.push(`${stamp} ${message}`);
    }
  }
  return out;
}

/** The uid of `login`: the decky's when facts are known (undefined: no such user), else 0/1000. */
function uidOf(ctx: LogContext, login: string): number | undefined {
  if (ctx.facts) return ctx.facts.uids[login];
  return login === "root" ? 0 : 1000;
}

/** One of the candidates whose program runs (all of them without facts); null when none does. */
function pickRunning(ctx: LogContext, candidates: readonly Candidate[]): string | null {
  const running = ctx.facts?.running;
  const fitting = running ? candidates.filter(([program]) => running.has(program)) : candidates;
  return fitting.length === 0 ? null : pickOne(ctx.rand, fitting)[1]();
}

function daemonMessage(ctx: LogContext, pid: number): string | null {
  const { rand, login, facts } = ctx;
  const ip = facts
    ? (facts.peers.length > 0 ? pickOne(rand, facts.peers) : null)
    : `10.${randInt(rand, 0, 9)}.${randInt(rand, 0, 40)}.${randInt(rand, 2, 250)}`;
  const uid = uidOf(ctx, login);
  if (ctx.path.endsWith("auth.log")) {
    // With facts, sshd and cron write their own session lines (real sessions
    // between deckies, real jobs): none is forged for a session that did not happen.
    const lines: Candidate[] = facts ? [] : [
      ["cron", () => `CRON[${pid}]: pam_unix(cron:session): session closed for user root`],
    ];
    // Lines naming the persona only where the persona has an account.
    if (uid !== undefined) {
      if (!facts) {
        lines.push(
          [
            "sshd",
            () =>
              `sshd[${pid}]: Accepted publickey for ${login} from ${ip} port ${
                randInt(rand, 40000, 65000)
              } ssh2: ED25519 SHA256:${fingerprint(rand)}`,
          ],
          [
            "sshd",
            () =>
              `sshd[${pid}]: pam_unix(sshd:session): session opened for user ${login}(uid=${uid}) by (uid=0)`,
          ],
          ["sshd", () => `sshd[${pid}]: pam_unix(sshd:session): session closed for user ${login}`],
        );
      }
      lines.push(
        [
          "sudo",
          () =>
            `sudo:   ${login} : TTY=pts/${
              randInt(rand, 0, 3)
            } ; PWD=/home/${login} ; USER=root ; COMMAND=${
              pickOne(rand, [
                "/usr/bin/apt update",
                "/usr/bin/systemctl restart nginx",
                "/usr/bin/journalctl -u cron",
                "/usr/bin/tail -f /var/log/syslog",
              ])
            }`,
        ],
        [
          "systemd",
          () =>
            `systemd-logind[${randInt(rand, 300, 900)}]: New session ${
              randInt(rand, 2, 900)
            } of user ${login}.`,
        ],
      );
    }
    return pickRunning(ctx, lines);
  }
  const systemd = (text: string): Candidate => ["systemd", () => text];
  const leaseIp = ip ?? "10.0.0.20";
  return pickRunning(ctx, [
    systemd("systemd[1]: Starting Daily apt download activities..."),
    systemd("systemd[1]: apt-daily.service: Succeeded."),
    systemd("systemd[1]: Finished Daily apt download activities."),
    systemd("systemd[1]: Starting Cleanup of Temporary Directories..."),
    systemd("systemd[1]: systemd-tmpfiles-clean.service: Deactivated successfully."),
    ["dhclient", () => `dhclient[${pid}]: DHCPREQUEST for ${leaseIp} on eth0 to 10.0.0.1 port 67`],
    ["dhclient", () => `dhclient[${pid}]: DHCPACK of ${leaseIp} from 10.0.0.1`],
    [
      "dhclient",
      () =>
        `dhclient[${pid}]: bound to ${leaseIp} -- renewal in ${
          randInt(rand, 1200, 43000)
        } seconds.`,
    ],
    ["ntp", () => `ntpd[${pid}]: adjusting local clock by ${(rand() * 0.4).toFixed(6)}s`],
    // logrotate HUPs the syslog daemon once a day: never forged where facts are known.
    [
      "logrotate",
      () =>
        `rsyslogd: [origin software="rsyslogd" swVersion="8.2302.0" x-pid="${pid}"] rsyslogd was HUPed`,
    ],
    [
      "smartd",
      () =>
        `smartd[${pid}]: Device: /dev/sda [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed from ${
          randInt(rand, 30, 40)
        } to ${randInt(rand, 30, 40)}`,
    ],
    systemd("systemd[1]: Started Session c1 of user root."),
    systemd(`systemd[1]: Starting logrotate.service - Rotate log files...`),
  ]);
}

function fingerprint(rand: () => number): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let s = "";
  for (let i = 0; i < 43; i++) s += chars[Math.floor(rand() * 64) % 64];
  return s;
}
