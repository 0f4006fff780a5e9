import { dirname, join } from "node:path";

/**
 * Replaces `path` with `text` atomically (temporary file in the same
 * directory, synced, renamed over the old one), so a reader sees the old
 * snapshot or the new one, never half of either. Returns false when the
 * file already held exactly `text` (nothing written).
 *
 * @example
 * ```ts
 * import { writeSnapshotFile } from "./write_snapshot_file.ts";
 * await writeSnapshotFile("/var/lib/decnet/spool/canary/active_tokens.json", '{"tokens":[]}\n');
 * ```
 */
export async function writeSnapshotFile(path: string, text: string): Promise<boolean> {
  try {
    if ((await Deno.readTextFile(path)) === text) return false;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.snapshot.${crypto.randomUUID()}.tmp`);
  try {
    using file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o600 });
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.syncData();
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  return true;
}
