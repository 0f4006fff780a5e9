import { DAEMONS } from "./daemons.ts";

// The one script a survey runs inside a decky (POSIX sh; busybox and Debian).
// $1 is a random section marker chosen per run, so nothing a decky's files
// hold (an attacker may edit /etc/passwd or name a log file "@@ x") can start
// a section of its own. Every read is bounded by `head` and tolerates what is
// missing: a sparse decky yields empty sections, never an error.

/** Known daemons' binaries, looked up to say what is installed. */
export const SURVEY_BINARIES: readonly string[] = [...new Set(DAEMONS.flatMap((d) => d.binaries))];

/** Live logs whose last line the survey reads (timestamp format, last write). */
export const SURVEY_LOG_TAILS = [
  "/var/log/syslog",
  "/var/log/auth.log",
  "/var/log/cron.log",
  "/var/log/daemon.log",
  "/var/log/messages",
  "/var/log/mail.log",
] as const;

/** Packages whose versions the survey asks dpkg for. */
export const SURVEY_PACKAGES = [
  "openssh-server",
  "openssh-client",
  "cron",
  "rsyslog",
  "dovecot-core",
  "dovecot-imapd",
  "dovecot-pop3d",
  "exim4-daemon-light",
  "postfix",
  "nginx",
  "apache2",
  "samba",
  "mariadb-server",
  "sudo",
  "nano",
  "vim",
  "vim-tiny",
  "systemd",
  "base-files",
] as const;

/**
 * The survey script, fed on stdin to `sh -s <marker>` (so `ps` on the decky
 * shows `sh -s 3fa9…`, not the script). The body is one brace group with
 * stdin from /dev/null: the shell reads all of it before running any of it,
 * so no command can eat the rest of the script.
 */
export const SURVEY_SCRIPT = `{
export LC_ALL=C
m="$1"
sec() { printf '%s %s\\n' "$m" "$1"; }
sec self; echo "$$"
sec clock; date +%s
sec uptime; head -c 200 /proc/uptime 2>/dev/null
sec hostname; head -n 1 /etc/hostname 2>/dev/null
sec timezone; head -n 1 /etc/timezone 2>/dev/null
sec localtime; readlink /etc/localtime 2>/dev/null
sec os-release; head -n 40 /etc/os-release 2>/dev/null
sec debian-version; head -n 1 /etc/debian_version 2>/dev/null
sec dpkg-first
oldest=/var/log/dpkg.log; n=0
for f in /var/log/dpkg.log.*; do
  [ -e "$f" ] || continue
  k="\${f#/var/log/dpkg.log.}"; k="\${k%.gz}"
  case "$k" in ''|*[!0-9]*) continue;; esac
  if [ "$k" -gt "$n" ]; then n="$k"; oldest="$f"; fi
done
case "$oldest" in
  *.gz) gzip -dc "$oldest" 2>/dev/null | head -n 1;;
  *) head -n 1 "$oldest" 2>/dev/null;;
esac
sec passwd; head -n 500 /etc/passwd 2>/dev/null
sec group; head -n 500 /etc/group 2>/dev/null
sec processes
for p in /proc/[0-9]*; do
  read -r s < "$p/stat" 2>/dev/null || continue
  printf '%s\t' "$s"
  tr '\\000\\n' '  ' < "$p/cmdline" 2>/dev/null
  echo
done 2>/dev/null | head -n 2000
sec binaries
for b in ${SURVEY_BINARIES.join(" ")}; do [ -e "$b" ] && echo "$b"; done
sec packages
command -v dpkg-query >/dev/null 2>&1 &&
  dpkg-query -W -f='\${Package}\\t\${Version}\\t\${db:Status-Abbrev}\\n' ${
  SURVEY_PACKAGES.join(" ")
} 2>/dev/null
sec ssh-version
if command -v ssh >/dev/null 2>&1; then ssh -V 2>&1 | head -n 1
elif [ -x /usr/sbin/sshd ]; then /usr/sbin/sshd -V 2>&1 | grep -m 1 OpenSSH; fi
sec logs
find /var/log -maxdepth 2 \\( -type f -o -type d \\) -exec stat -c '%a\t%U\t%G\t%u\t%g\t%s\t%Y\t%F\t%n' {} + 2>/dev/null | head -n 1000
sec log-tails
for f in ${SURVEY_LOG_TAILS.join(" ")}; do
  [ -f "$f" ] && printf '%s\t%s\n' "$f" "$(tail -n 1 "$f" 2>/dev/null | head -c 400 | tr -d '\r')"
done
sec mail-location
command -v doveconf >/dev/null 2>&1 && doveconf -h mail_location 2>/dev/null
sec mail-dirs
for d in /var/mail /var/spool/mail; do [ -d "$d" ] && stat -c '%a\t%U\t%G\t%u\t%g\t%s\t%Y\t%F\t%n' "$d"; done 2>/dev/null
sec fib-trie; head -n 400 /proc/net/fib_trie 2>/dev/null
sec route; head -n 200 /proc/net/route 2>/dev/null
sec arp; head -n 500 /proc/net/arp 2>/dev/null
sec dockerenv; [ -e /.dockerenv ] && echo yes
sec resolv; head -n 40 /etc/resolv.conf 2>/dev/null
sec end
} </dev/null
exit 0
`;
