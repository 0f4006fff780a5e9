/** How the survey recognises one well-known daemon. */
export interface DaemonSignature {
  /** Our name for it, asked of {@linkcode isDaemonRunning}. */
  readonly name: string;
  /** Process names (/proc/PID/comm) it runs as. */
  readonly comms: readonly string[];
  /** Binaries whose presence means it is installed. */
  readonly binaries: readonly string[];
  /** Debian package carrying it. */
  readonly debianPackage: string | null;
}

/** The daemons a survey reports on, by our name. */
export const DAEMONS: readonly DaemonSignature[] = [
  {
    name: "sshd",
    comms: ["sshd"],
    binaries: ["/usr/sbin/sshd"],
    debianPackage: "openssh-server",
  },
  {
    name: "cron",
    comms: ["cron", "crond"],
    binaries: ["/usr/sbin/cron", "/usr/sbin/crond"],
    debianPackage: "cron",
  },
  {
    name: "syslog",
    comms: ["rsyslogd", "syslogd", "syslog-ng"],
    binaries: ["/usr/sbin/rsyslogd", "/usr/sbin/syslogd", "/sbin/syslogd", "/usr/sbin/syslog-ng"],
    debianPackage: "rsyslog",
  },
  {
    name: "dovecot",
    comms: ["dovecot"],
    binaries: ["/usr/sbin/dovecot"],
    debianPackage: "dovecot-core",
  },
  {
    name: "mta",
    comms: ["exim4", "master"],
    binaries: ["/usr/sbin/exim4", "/usr/sbin/postfix"],
    debianPackage: null,
  },
  { name: "nginx", comms: ["nginx"], binaries: ["/usr/sbin/nginx"], debianPackage: "nginx" },
  {
    name: "apache2",
    comms: ["apache2"],
    binaries: ["/usr/sbin/apache2"],
    debianPackage: "apache2",
  },
  { name: "smbd", comms: ["smbd"], binaries: ["/usr/sbin/smbd"], debianPackage: "samba" },
  {
    name: "mariadb",
    comms: ["mariadbd", "mysqld"],
    binaries: ["/usr/sbin/mariadbd", "/usr/sbin/mysqld"],
    debianPackage: "mariadb-server",
  },
  { name: "vsftpd", comms: ["vsftpd"], binaries: ["/usr/sbin/vsftpd"], debianPackage: null },
  { name: "smartd", comms: ["smartd"], binaries: ["/usr/sbin/smartd"], debianPackage: null },
  {
    name: "ntp",
    comms: ["chronyd", "ntpd"],
    binaries: ["/usr/sbin/chronyd", "/usr/sbin/ntpd"],
    debianPackage: null,
  },
  { name: "dhclient", comms: ["dhclient"], binaries: ["/sbin/dhclient"], debianPackage: null },
  {
    name: "systemd",
    comms: ["systemd"],
    binaries: ["/lib/systemd/systemd"],
    debianPackage: "systemd",
  },
];
