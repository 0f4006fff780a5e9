import { join, relative } from "node:path";
import { backup, DatabaseSync } from "node:sqlite";
import { Command } from "commander";
import { sha256Sums } from "../core/backup/sha256_sums.ts";
import { writeTar } from "../core/backup/tar_archive.ts";
import type { TarEntry } from "../core/backup/tar_archive.ts";
import { parseDbUrl } from "../core/db/db_url.ts";
import { printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/** The SQLite database file of DECNET_DB_URL, or a usage error for another engine. */
export function sqlitePath(dbUrl: string): string {
  const target = parseDbUrl(dbUrl);
  if (target.engine !== "sqlite" || target.path === ":memory:") {
    throw new CliError(
      `backup and restore support a sqlite: DECNET_DB_URL file only, got engine ${target.engine}` +
        " (MySQL/MariaDB: use mysqldump)",
      EXIT_USAGE,
    );
  }
  return target.path;
}

/** Every file under `dir` as entries named `<into>/<relative path>`, skipping `skip`. */
async function filesUnder(dir: string, into: string, skip: (path: string) => boolean) {
  const out: TarEntry[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const path = join(d, e.name);
      if (skip(path)) continue;
      if (e.isDirectory) await walk(path);
      else if (e.isFile) {
        const mode = (await Deno.stat(path)).mode ?? 0o600;
        out.push({ path: `${into}/${relative(dir, path)}`, mode, data: await Deno.readFile(path) });
      }
    }
  };
  try {
    await walk(dir);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort((a, b) => a.path < b.path ? -1 : 1);
}

/**
 * `decnet backup FILE`: a gzipped tar of a consistent SQLite snapshot (the online
 * backup API, safe while decnet runs), DECNET_HOME (state file, secrets, journals, blobs) and
 * the blob folder when it lies elsewhere, with SHA256SUMS over all of it.
 */
export function backupCommand(): Command {
  return new Command("backup")
    .description("Write a backup (database snapshot, state file, secrets, blobs) with checksums")
    .argument("<file>", "backup file to write (.tar.gz); an existing file is not replaced")
    .action(async (file: string, _options: unknown, command: Command) => {
      const config = configFor(command);
      const dbPath = sqlitePath(config.dbUrl);
      const staging = await Deno.makeTempDir({ prefix: "decnet-backup-" });
      try {
        const snapshot = join(staging, "decnet.db");
        // SQLite's online backup, not VACUUM INTO: Deno's node:sqlite allows no ATTACH
        // without --allow-all, and the launcher does not grant that.
        const db = new DatabaseSync(dbPath, { readOnly: true });
        try {
          await backup(db, snapshot);
        } finally {
          db.close();
        }
        const live = new Set(["", "-wal", "-shm", "-journal"].map((s) => `${dbPath}${s}`));
        const blobsOutside = relative(config.home, config.canaryBlobDir).startsWith("..");
        const entries: TarEntry[] = [
          { path: "decnet.db", mode: 0o600, data: await Deno.readFile(snapshot) },
          ...await filesUnder(config.home, "home", (p) => live.has(p)),
          ...(blobsOutside ? await filesUnder(config.canaryBlobDir, "blobs", () => false) : []),
        ];
        const sums = new TextEncoder().encode(await sha256Sums(entries));
        const tar = writeTar(
          [...entries, { path: "SHA256SUMS", mode: 0o644, data: sums }],
          Math.floor(Date.now() / 1000),
        );
        const gz = new Uint8Array(
          await new Response(
            new Blob([tar as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
              new CompressionStream("gzip"),
            ),
          ).arrayBuffer(),
        );
        try {
          await Deno.writeFile(file, gz, { createNew: true, mode: 0o600 });
        } catch (e) {
          if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
          throw new CliError(`backup file ${file} already exists`, EXIT_USAGE);
        }
        printLine(`Wrote ${file} (${entries.length} files, ${gz.length} bytes)`);
      } finally {
        await Deno.remove(staging, { recursive: true });
      }
    });
}
