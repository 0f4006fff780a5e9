/** A MySQL/MariaDB database, as parsed from DECNET_DB_URL. */
export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** The client programs (Debian package mariadb-client); the launchers may start these. */
export const MYSQL_DUMP_PROGRAM = "mariadb-dump";
export const MYSQL_CLIENT_PROGRAM = "mariadb";

/** An option file value in double quotes: the client reads `\\`, `\"` and `\n` back. */
function optionValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, "\\n")}"`;
}

/**
 * Runs a MariaDB client program with the connection in a 0600 option file
 * (`--defaults-extra-file`, which must come first), so the password is never on
 * a command line or in an environment another process can read. No shell.
 */
async function runClient(
  program: string,
  target: MysqlTarget,
  args: string[],
  stdin?: Uint8Array,
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "decnet-mysql-" });
  try {
    const options = `${dir}/client.cnf`;
    await Deno.writeTextFile(
      options,
      [
        "[client]",
        `host=${optionValue(target.host.replace(/^\[(.*)\]$/, "$1"))}`,
        `port=${target.port}`,
        `user=${optionValue(target.user)}`,
        `password=${optionValue(target.password)}`,
        // "localhost" would otherwise mean the Unix socket; decnet's own connection is TCP.
        "protocol=TCP",
        "",
      ].join("\n"),
      { createNew: true, mode: 0o600 },
    );
    let child;
    try {
      child = new Deno.Command(program, {
        args: [`--defaults-extra-file=${options}`, ...args],
        stdin: stdin ? "piped" : "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      throw new Error(`Cannot run ${program}: not installed (Debian package mariadb-client)`, {
        cause: e,
      });
    }
    if (stdin) {
      const writer = child.stdin.getWriter();
      // A client that fails early closes its stdin: its exit status and stderr say why.
      await writer.write(stdin).catch(() => {});
      await writer.close().catch(() => {});
    }
    const out = await child.output();
    const text = new TextDecoder();
    if (!out.success) {
      throw new Error(
        `${program} failed (exit ${out.code}) for database ${target.database}: ` +
          text.decode(out.stderr).trim(),
      );
    }
    return text.decode(out.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Writes a logical dump of `target` to `file` with `mariadb-dump --single-transaction`:
 * one consistent snapshot of every InnoDB table, taken while decnet keeps running.
 * The dump names no database, so it loads into whichever one a restore names.
 *
 * @throws {Error} naming the program and the database when the dump fails
 * @example
 * ```ts
 * const target = {
 *   host: "127.0.0.1", port: 3306, user: "decnet", password: "s3cret", database: "decnet",
 * };
 * await dumpMysql(target, "/tmp/decnet.sql");
 * ```
 */
export async function dumpMysql(target: MysqlTarget, file: string): Promise<void> {
  await runClient(MYSQL_DUMP_PROGRAM, target, [
    "--single-transaction",
    "--hex-blob",
    "--default-character-set=utf8mb4",
    "--no-tablespaces",
    `--result-file=${file}`,
    "--",
    target.database,
  ]);
}

/**
 * Loads a dump written by {@linkcode dumpMysql} into `target` (its tables are
 * dropped and created again; tables the dump does not hold are left alone).
 *
 * @throws {Error} naming the program and the database when a statement fails
 */
export async function loadMysqlDump(target: MysqlTarget, sql: Uint8Array): Promise<void> {
  await runClient(
    MYSQL_CLIENT_PROGRAM,
    target,
    ["--default-character-set=utf8mb4", `--database=${target.database}`],
    sql,
  );
}

/** How many tables `target` holds (a restore over a non-empty database needs --force). */
export async function countMysqlTables(target: MysqlTarget): Promise<number> {
  const out = await runClient(MYSQL_CLIENT_PROGRAM, target, [
    "--batch",
    "--skip-column-names",
    `--database=${target.database}`,
    "--execute=SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()",
  ]);
  return Number(out.trim());
}
