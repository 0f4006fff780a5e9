import { fileNanos } from "./_file_nanos.ts";
import { shellScript } from "../docker/mod.ts";
import type { DockerClient } from "../docker/mod.ts";

/** Options for {@linkcode plantFile}. */
export interface PlantFileOptions {
  /** Absolute path inside the container. */
  path: string;
  bytes: Uint8Array;
  /** Permission bits. @default 0o644 */
  mode?: number;
  /** Modification time given to the file (whole seconds). */
  mtime: Date;
  /** Login that should own the file (and any directory created for it) when it exists in the container. */
  owner?: string | null;
  /** @default 20000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What {@linkcode plantFile} did. */
export interface PlantFileResult {
  ok: boolean;
  exitCode: number;
  /** Whether the owner existed and was applied. */
  owned: boolean;
  stderr: string;
}

// Writes to a temporary file beside the target, then renames, so a reader
// never sees half a file. Directories created for the file go to the owner.
// Arguments: $1 path, $2 octal mode, $3 UTC "YYYY-MM-DD HH:MM:SS.NNNNNNNNN", $4 owner or "".
// GNU touch takes the fraction, busybox's only whole seconds. Directories it
// created end with their newest entry's mtime, as a real write leaves them.
const PLANT_SCRIPT = `set -e
path="$1"; mode="$2"; stamp="$3"; owner="$4"
dir=$(dirname "$path")
top=""
d="$dir"
while [ ! -d "$d" ]; do top="$d"; d=$(dirname "$d"); done
mkdir -p "$dir"
tmp="$dir/.$(basename "$path").$$"
trap 'rm -f "$tmp"' EXIT
cat > "$tmp"
chmod "$mode" "$tmp"
owned=0
if [ -n "$owner" ] && id -u "$owner" >/dev/null 2>&1; then
  group=$(id -gn "$owner")
  chown "$owner:$group" "$tmp"
  if [ -n "$top" ]; then chown -R "$owner:$group" "$top"; fi
  owned=1
fi
touch -d "$stamp" "$tmp" 2>/dev/null || touch -d "\${stamp%.*}" "$tmp"
mv -f "$tmp" "$path"
trap - EXIT
if [ -n "$top" ]; then
  d="$dir"
  while :; do
    newest=$(ls -At "$d" | head -n 1)
    [ -n "$newest" ] && touch -r "$d/$newest" "$d"
    [ "$d" = "$top" ] && break
    d=$(dirname "$d")
  done
fi
echo "owned=$owned"
`;

/** `YYYY-MM-DD hh:mm:ss.nnnnnnnnn` in UTC, with {@linkcode fileNanos}. */
function utcStamp(date: Date, path: string): string {
  const nanos = fileNanos(date, path);
  const seconds = date.toISOString().slice(0, 19).replace("T", " ");
  return `${seconds}.${String(nanos).padStart(9, "0")}`;
}

/**
 * Writes bytes to a file inside a container through `docker exec` (stdin,
 * argv only, the path as a positional parameter): directories created as
 * needed, the mode set, ownership given to `owner` when that user exists,
 * and the modification time set.
 *
 * @param docker the Docker client
 * @param container container name or id
 * @param options path, bytes, mode, mtime and owner
 * @returns the exit code and whether ownership was applied
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import { plantFile } from "./plant_file.ts";
 * declare const bytes: Uint8Array;
 * declare const docker: DockerClient;
 * const mtime = new Date("2026-03-02T09:14:00Z");
 * await plantFile(docker, "ws-01-ssh", { path: "/home/ana/notes.txt", bytes, mtime, owner: "ana" });
 * ```
 */
export async function plantFile(
  docker: DockerClient,
  container: string,
  options: PlantFileOptions,
): Promise<PlantFileResult> {
  if (!options.path.startsWith("/")) {
    throw new TypeError(`Cannot plant file: path must be absolute, got "${options.path}"`);
  }
  const mode = (options.mode ?? 0o644).toString(8).padStart(4, "0");
  const result = await docker.exec(
    container,
    shellScript(PLANT_SCRIPT, [
      options.path,
      mode,
      utcStamp(options.mtime, options.path),
      options.owner ?? "",
    ]),
    {
      stdin: options.bytes,
      env: ["TZ=UTC"],
      user: "0",
      timeoutMs: options.timeoutMs ?? 20_000,
      signal: options.signal,
    },
  );
  const stdout = new TextDecoder().decode(result.stdout);
  return {
    ok: result.exitCode === 0,
    exitCode: result.exitCode,
    owned: stdout.includes("owned=1"),
    stderr: new TextDecoder().decode(result.stderr).trim().slice(0, 2000),
  };
}
