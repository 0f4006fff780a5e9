/** One entry of a tar archive built by {@linkcode tarStream}. */
export type TarEntry =
  & (
    | { type: "dir"; path: string; mode?: number }
    | { type: "file"; path: string; mode?: number; bytes: Uint8Array }
    /** A file whose content is read from `source` on the host as the archive streams. */
    | { type: "file"; path: string; mode?: number; source: string; size: number }
  )
  /** Owner and group ids. @default 0 */
  & { uid?: number; gid?: number };

const BLOCK = 512;
const encoder = new TextEncoder();

/**
 * A POSIX ustar archive as a stream of chunks, for `importImage`: headers
 * are made in memory and host files are read as the stream is consumed, so
 * a 100 MB runtime is never held whole. Owner root unless given, mtime 0 (reproducible).
 *
 * @param entries Directories and files, parents before children; paths without a leading `/`
 * @returns The archive's bytes, in order
 * @throws {RangeError} when a path does not fit the ustar name fields
 * @example
 * ```ts
 * const tar = tarStream([{ type: "dir", path: "etc" }, { type: "file", path: "etc/motd", bytes: new Uint8Array() }]);
 * for await (const chunk of tar) console.log(chunk.length);
 * ```
 */
export async function* tarStream(entries: readonly TarEntry[]): AsyncGenerator<Uint8Array> {
  for (const entry of entries) {
    if (entry.type === "dir") {
      yield header(entry.path.replace(/\/?$/, "/"), entry.mode ?? 0o755, 0, "5", entry);
      continue;
    }
    if ("bytes" in entry) {
      yield header(entry.path, entry.mode ?? 0o644, entry.bytes.length, "0", entry);
      yield entry.bytes;
      yield padding(entry.bytes.length);
      continue;
    }
    yield header(entry.path, entry.mode ?? 0o644, entry.size, "0", entry);
    using file = await Deno.open(entry.source);
    let sent = 0;
    const buffer = new Uint8Array(1 << 20);
    while (sent < entry.size) {
      const n = await file.read(buffer.subarray(0, Math.min(buffer.length, entry.size - sent)));
      if (n === null) {
        throw new RangeError(`Cannot archive ${entry.source}: it shrank below ${entry.size} bytes`);
      }
      sent += n;
      yield buffer.slice(0, n);
    }
    yield padding(entry.size);
  }
  yield new Uint8Array(BLOCK * 2);
}

function padding(size: number): Uint8Array {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

function header(
  path: string,
  mode: number,
  size: number,
  type: string,
  owner: { uid?: number; gid?: number },
): Uint8Array {
  const block = new Uint8Array(BLOCK);
  let name = path;
  let prefix = "";
  if (encoder.encode(name).length > 100) {
    const cut = path.lastIndexOf("/", 154);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (cut < 0 || encoder.encode(name).length > 100) {
      throw new RangeError(`Cannot archive path: longer than ustar allows, got "${path}"`);
    }
  }
  const put = (offset: number, length: number, text: string) =>
    block.set(encoder.encode(text).subarray(0, length), offset);
  const octal = (offset: number, length: number, value: number) =>
    put(offset, length, value.toString(8).padStart(length - 1, "0") + "\0");
  put(0, 100, name);
  octal(100, 8, mode);
  octal(108, 8, owner.uid ?? 0);
  octal(116, 8, owner.gid ?? 0);
  octal(124, 12, size);
  octal(136, 12, 0);
  put(148, 8, "        ");
  put(156, 1, type);
  put(257, 6, "ustar\0");
  put(263, 2, "00");
  put(345, 155, prefix);
  const sum = block.reduce((a, b) => a + b, 0);
  put(148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return block;
}
