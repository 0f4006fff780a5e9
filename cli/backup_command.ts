import { Command } from "commander";
import { writeBackup } from "../core/backup/write_backup.ts";
import type { BackupDatabase } from "../core/backup/write_backup.ts";
import { parseDbUrl } from "../core/db/db_url.ts";
import { printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/** The database of DECNET_DB_URL to back up or restore, or a usage error for an in-memory one. */
export function backupDatabase(dbUrl: string): BackupDatabase {
  const target = parseDbUrl(dbUrl);
  if (target.engine === "sqlite" && target.path === ":memory:") {
    throw new CliError(
      "backup and restore need a database that outlives decnet, got DECNET_DB_URL sqlite::memory:",
      EXIT_USAGE,
    );
  }
  return target;
}

/** `decnet backup FILE`: see {@linkcode writeBackup}. */
export function backupCommand(): Command {
  return new Command("backup")
    .description(
      "Write a backup (database snapshot or MySQL/MariaDB dump, state file, secrets, blobs) " +
        "with checksums",
    )
    .argument("<file>", "backup file to write (.tar.gz); an existing file is not replaced")
    .action(async (file: string, _options: unknown, command: Command) => {
      const config = configFor(command);
      const sources = {
        db: backupDatabase(config.dbUrl),
        home: config.home,
        blobDir: config.canaryBlobDir,
      };
      try {
        const { files, bytes } = await writeBackup(sources, file, new Date());
        printLine(`Wrote ${file} (${files} files, ${bytes} bytes)`);
      } catch (e) {
        if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
        throw new CliError(`backup file ${file} already exists`, EXIT_USAGE, { cause: e });
      }
    });
}
