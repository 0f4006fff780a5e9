import { dirname, join, normalize } from "node:path";
import { Command } from "commander";
import { countMysqlTables, loadMysqlDump } from "../core/backup/mysql_client.ts";
import { checkSha256Sums } from "../core/backup/sha256_sums.ts";
import { readTar } from "../core/backup/tar_archive.ts";
import { BACKUP_DB_ENTRY } from "../core/backup/write_backup.ts";
import { printLine } from "../core/log/mod.ts";
import { backupDatabase } from "./backup_command.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

interface RestoreOptions {
  force?: boolean;
}

/**
 * `decnet restore FILE`: checks every checksum of a `decnet backup`, then writes
 * the database (a SQLite file, or a MySQL/MariaDB dump loaded with `mariadb`),
 * DECNET_HOME's files and the blobs back. Run it with decnet stopped.
 */
export function restoreCommand(): Command {
  return new Command("restore")
    .description("Restore a backup written by `decnet backup` (run it with decnet stopped)")
    .argument("<file>", "backup file (.tar.gz)")
    .option("--force", "replace an existing database")
    .action(async (file: string, options: RestoreOptions, command: Command) => {
      const config = configFor(command);
      const db = backupDatabase(config.dbUrl);
      let entries;
      try {
        const tar = new Uint8Array(
          await new Response(
            (await Deno.open(file)).readable.pipeThrough(new DecompressionStream("gzip")),
          ).arrayBuffer(),
        );
        entries = readTar(tar);
        const sums = entries.find((e) => e.path === "SHA256SUMS");
        if (!sums) throw new Error("no SHA256SUMS");
        await checkSha256Sums(
          entries.filter((e) => e !== sums),
          new TextDecoder().decode(sums.data),
        );
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) throw e;
        throw new CliError(
          `backup file ${file} is not a valid decnet backup: ${(e as Error).message}`,
          EXIT_USAGE,
          {
            cause: e,
          },
        );
      }
      const dbEntry = entries.find((e) => e.path === BACKUP_DB_ENTRY[db.engine]);
      if (!dbEntry) {
        const other = db.engine === "sqlite" ? "MySQL/MariaDB" : "SQLite";
        throw new CliError(
          `backup file ${file} holds a ${other} database, not one for DECNET_DB_URL's ` +
            `engine ${db.engine}; set DECNET_DB_URL to a ${other} database to restore it`,
          EXIT_USAGE,
        );
      }
      const where = db.engine === "sqlite" ? `at ${db.path}` : `in MySQL database ${db.database}`;
      const exists = db.engine === "sqlite"
        ? await Deno.stat(db.path).then(() => true, () => false)
        : await countMysqlTables(db) > 0;
      if (exists && !options.force) {
        throw new CliError(
          `a database already exists ${where}; pass --force to replace it`,
          EXIT_USAGE,
        );
      }
      const roots: Record<string, string> = { home: config.home, blobs: config.canaryBlobDir };
      // Every path is checked before anything is written.
      const writes = entries.filter((e) => e.path !== "SHA256SUMS" && e !== dbEntry).map((e) => {
        const [top, ...rest] = e.path.split("/");
        const relative = normalize(rest.join("/"));
        if (!roots[top] || relative === "." || relative.startsWith("..")) {
          throw new CliError(`backup entry ${e.path}: unexpected path`, EXIT_USAGE);
        }
        return { target: join(roots[top], relative), entry: e };
      });
      if (db.engine === "mysql") await loadMysqlDump(db, dbEntry.data);
      else writes.unshift({ target: db.path, entry: dbEntry });
      for (const { target, entry } of writes) {
        await Deno.mkdir(dirname(target), { recursive: true, mode: 0o700 });
        await Deno.writeFile(target, entry.data, { mode: entry.mode });
        await Deno.chmod(target, entry.mode & 0o7777);
      }
      // A stale write-ahead log next to the restored database would be replayed into it.
      const live = db.engine === "sqlite" ? ["-wal", "-shm"].map((s) => `${db.path}${s}`) : [];
      for (const path of live) {
        await Deno.remove(path).catch((e) => {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        });
      }
      printLine(
        `Restored the database and ${writes.length - (db.engine === "sqlite" ? 1 : 0)} files ` +
          `from ${file}; start decnet to apply any newer migrations`,
      );
    });
}
