import { MYSQL_CLIENT_PROGRAM, MYSQL_DUMP_PROGRAM } from "../core/backup/mysql_client.ts";

/** Programs `decnet backup` and `restore` start: the MariaDB clients (and nothing else). */
export const BACKUP_PROGRAMS: readonly string[] = [MYSQL_DUMP_PROGRAM, MYSQL_CLIENT_PROGRAM];

/**
 * Programs `decnet install` and `uninstall` start: the service user's creation
 * (systemd-sysusers, else useradd), `systemctl daemon-reload`, setpriv (the
 * installed bundle's `deno cache` as the service user), and the dump taken
 * before an upgrade of a MySQL/MariaDB database.
 */
export const INSTALL_PROGRAMS: readonly string[] = [
  "systemd-sysusers",
  "useradd",
  "systemctl",
  "setpriv",
  MYSQL_DUMP_PROGRAM,
];
