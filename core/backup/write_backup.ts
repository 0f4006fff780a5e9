import { join, relative } from "node:path";
import { backup, DatabaseSync } from "node:sqlite";
import { sha256Sums } from "./sha256_sums.ts";
import { writeTar } from "./tar_archive.ts";
import type { TarEntry } from "./tar_archive.ts";

/** What a backup holds: the SQLite file, DECNET_HOME and the canary blob folder. */
export interface BackupSources {
  dbPath: string;
  home: string;
  blobDir: string;
}

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

/**
 * Writes `file` (mode 0600, never replacing one): a gzipped ustar of a consistent
 * snapshot of the database (`decnet.db`, SQLite's online backup, safe while decnet
 * runs), DECNET_HOME's files (`home/...`: state file, secrets, journals, blobs), the
 * blob folder when it lies elsewhere (`blobs/...`) and `SHA256SUMS` over all of them.
 * Returns the number of files and the size in bytes.
 *
 * @throws {Deno.errors.AlreadyExists} when `file` exists
 * @example
 * ```ts
 * const home = "/var/lib/decnet";
 * await writeBackup(
 *   { dbPath: `${home}/decnet.db`, home, blobDir: `${home}/canary/blobs` },
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
    const snapshot = join(staging, "decnet.db");
    // SQLite's online backup, not VACUUM INTO: Deno's node:sqlite allows no ATTACH
    // without --allow-all, and the launcher does not grant that.
    const db = new DatabaseSync(sources.dbPath, { readOnly: true });
    try {
      await backup(db, snapshot);
    } finally {
      db.close();
    }
    const live = new Set(["", "-wal", "-shm", "-journal"].map((s) => `${sources.dbPath}${s}`));
    const blobsOutside = relative(sources.home, sources.blobDir).startsWith("..");
    const entries: TarEntry[] = [
      { path: "decnet.db", mode: 0o600, data: await Deno.readFile(snapshot) },
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
