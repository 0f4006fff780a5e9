// Folder-private syslog-shaped line generators shared by makeBody and nextIteration.
import { localWallClock, offsetMinutes } from "./_zoned_time.ts";
import { MONTHS } from "./_phrase_bank.ts";
import { pickOne, randInt } from "./_random.ts";

const SYSLOG_TIME_REGEXP = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) /;

export interface LogContext {
  readonly rand: () => number;
  readonly host: string;
  readonly login: string;
  readonly timeZone: string;
  /** Log file path: picks the flavour (auth.log vs daemon.log). */
  readonly path: string;
}

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
  let pid = randInt(rand, 1200, 28000);
  const out: string[] = [];
  const commands = cronCommands(ctx.login);
  for (const t of times) {
    pid += randInt(rand, 3, 400);
    const stamp = `${syslogTime(t, ctx.timeZone)} ${host}`;
    if (kind === "cron") {
      const [user, cmd] = pickOne(rand, commands);
      if (rand() < 0.25) {
        const uid = user === "root" ? 0 : 1000;
        out.push(
          `${stamp} CRON[${pid}]: pam_unix(cron:session): session opened for user ${user}(uid=${uid}) by (uid=0)`,
        );
      }
      out.push(`${stamp} CRON[${pid}]: (${user}) CMD (${cmd})`);
    } else out.push(`${stamp} ${daemonMessage(ctx, pid)}`);
  }
  return out;
}

function daemonMessage(ctx: LogContext, pid: number): string {
  const { rand, login } = ctx;
  const ip = `10.${randInt(rand, 0, 9)}.${randInt(rand, 0, 40)}.${randInt(rand, 2, 250)}`;
  if (ctx.path.endsWith("auth.log")) {
    return pickOne(rand, [
      `sshd[${pid}]: Accepted publickey for ${login} from ${ip} port ${
        randInt(rand, 40000, 65000)
      } ssh2: ED25519 SHA256:${fingerprint(rand)}`,
      `sshd[${pid}]: pam_unix(sshd:session): session opened for user ${login}(uid=1000) by (uid=0)`,
      `sshd[${pid}]: pam_unix(sshd:session): session closed for user ${login}`,
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
      `systemd-logind[${randInt(rand, 300, 900)}]: New session ${
        randInt(rand, 2, 900)
      } of user ${login}.`,
      `CRON[${pid}]: pam_unix(cron:session): session closed for user root`,
    ]);
  }
  return pickOne(rand, [
    "systemd[1]: Starting Daily apt download activities...",
    "systemd[1]: apt-daily.service: Succeeded.",
    "systemd[1]: Finished Daily apt download activities.",
    "systemd[1]: Starting Cleanup of Temporary Directories...",
    "systemd[1]: systemd-tmpfiles-clean.service: Deactivated successfully.",
    `dhclient[${pid}]: DHCPREQUEST for ${ip} on eth0 to 10.0.0.1 port 67`,
    `dhclient[${pid}]: DHCPACK of ${ip} from 10.0.0.1`,
    `dhclient[${pid}]: bound to ${ip} -- renewal in ${randInt(rand, 1200, 43000)} seconds.`,
    `ntpd[${pid}]: adjusting local clock by ${(rand() * 0.4).toFixed(6)}s`,
    `rsyslogd: [origin software="rsyslogd" swVersion="8.2302.0" x-pid="${pid}"] rsyslogd was HUPed`,
    `smartd[${pid}]: Device: /dev/sda [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed from ${
      randInt(rand, 30, 40)
    } to ${randInt(rand, 30, 40)}`,
    "systemd[1]: Started Session c1 of user root.",
    `systemd[1]: Starting logrotate.service - Rotate log files...`,
  ]);
}

function fingerprint(rand: () => number): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let s = "";
  for (let i = 0; i < 43; i++) s += chars[Math.floor(rand() * 64) % 64];
  return s;
}
