import { join, relative } from "node:path";
import { backup, DatabaseSync } from "node:sqlite";
import { dumpMysql } from "./mysql_client.ts";
import type { MysqlTarget } from "./mysql_client.ts";
import { sha256Sums } from "./sha256_sums.ts";
import { writeTar } from "./tar_archive.ts";
import type { TarEntry } from "./tar_archive.ts";

/** The database of a backup (a parsed DECNET_DB_URL). */
export type BackupDatabase =
  | { engine: "sqlite"; path: string }
  | ({ engine: "mysql" } & MysqlTarget);

/** What a backup holds: the database, DECNET_HOME and the canary blob folder. */
export interface BackupSources {
  db: BackupDatabase;
  home: string;
  blobDir: string;
}

/** The archive entry holding the database, by engine. */
export const BACKUP_DB_ENTRY = { sqlite: "decnet.db", mysql: "decnet.sql" } as const;

/** Every file under `dir` as entries named `<into>/<relative path>`, skipping `skip`. */
async function filesUnder(
  dir: string,
  into: string,
  skip: (path: string) => boolean,
): Promise<TarEntry[]> {
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

/** A consistent copy of the database in `staging`: SQLite's online backup, or a dump. */
async function snapshotDatabase(db: BackupDatabase, staging: string): Promise<TarEntry> {
  const path = BACKUP_DB_ENTRY[db.engine];
  const snapshot = join(staging, path);
  if (db.engine === "mysql") {
    await dumpMysql(db, snapshot);
  } else {
    // SQLite's online backup, not VACUUM INTO: Deno's node:sqlite allows no ATTACH
    // without --allow-all, and the launcher does not grant that.
    const handle = new DatabaseSync(db.path, { readOnly: true });
    try {
      await backup(handle, snapshot);
    } finally {
      handle.close();
    }
  }
  return { path, mode: 0o600, data: await Deno.readFile(snapshot) };
}

/**
 * Writes `file` (mode 0600, never replacing one): a gzipped ustar of a consistent
 * snapshot of the database (`decnet.db`, SQLite's online backup, or `decnet.sql`,
 * a `mariadb-dump --single-transaction`; both safe while decnet runs), DECNET_HOME's
 * files (`home/...`: state file, secrets, journals, blobs), the blob folder when it
 * lies elsewhere (`blobs/...`) and `SHA256SUMS` over all of them.
 * Returns the number of files and the size in bytes.
 *
 * @throws {Deno.errors.AlreadyExists} when `file` exists
 * @example
 * ```ts
 * const home = "/var/lib/decnet";
 * await writeBackup(
 *   { db: { engine: "sqlite", path: `${home}/decnet.db` }, home, blobDir: `${home}/canary/blobs` },
 *   "/var/backups/decnet.tar.gz",
 *   new Date(),
 * );
 * ```
 */
export async function writeBackup(
  sources: BackupSources,
  file: string,
  now: Date,
): Promise<{ files: number; bytes: number }> {
  const staging = await Deno.makeTempDir({ prefix: "decnet-backup-" });
  try {
    const db = sources.db;
    const live = new Set(
      db.engine === "sqlite" ? ["", "-wal", "-shm", "-journal"].map((s) => `${db.path}${s}`) : [],
    );
    const blobsOutside = relative(sources.home, sources.blobDir).startsWith("..");
    const entries: TarEntry[] = [
      await snapshotDatabase(sources.db, staging),
      ...await filesUnder(sources.home, "home", (p) => live.has(p)),
      ...(blobsOutside ? await filesUnder(sources.blobDir, "blobs", () => false) : []),
    ];
    const sums = new TextEncoder().encode(await sha256Sums(entries));
    const tar = writeTar(
      [...entries, { path: "SHA256SUMS", mode: 0o644, data: sums }],
      Math.floor(now.getTime() / 1000),
    );
    const body = new Blob([tar as Uint8Array<ArrayBuffer>]).stream()
      .pipeThrough(new CompressionStream("gzip"));
    const gz = new Uint8Array(await new Response(body).arrayBuffer());
    await Deno.writeFile(file, gz, { createNew: true, mode: 0o600 });
    return { files: entries.length, bytes: gz.length };
  } finally {
    await Deno.remove(staging, { recursive: true });
  }
}
