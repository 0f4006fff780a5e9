/** One regular file in a tar archive. */
export interface TarEntry {
  /** Relative path with `/` separators, at most 255 bytes. */
  path: string;
  mode: number;
  data: Uint8Array;
}

const BLOCK = 512;

function field(header: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > length) throw new RangeError(`tar field too long: ${text}`);
  header.set(bytes, offset);
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, "0");
}

/**
 * A POSIX ustar archive of regular files (owner 0, mtime `mtime` seconds), readable
 * by GNU tar. Written here because a backup runs where decnet may start no program.
 *
 * @example
 * ```ts
 * const tar = writeTar([{ path: "a.txt", mode: 0o600, data: new Uint8Array([104, 105]) }], 0);
 * ```
 */
export function writeTar(entries: TarEntry[], mtime: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const header = new Uint8Array(BLOCK);
    const split = entry.path.length > 100 ? entry.path.lastIndexOf("/", 155) : -1;
    field(header, 0, 100, split < 0 ? entry.path : entry.path.slice(split + 1));
    field(header, 100, 8, octal(entry.mode & 0o7777, 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(entry.data.length, 12));
    field(header, 136, 12, octal(mtime, 12));
    field(header, 148, 8, "        ");
    field(header, 156, 1, "0");
    field(header, 257, 8, "ustar\u000000");
    if (split >= 0) field(header, 345, 155, entry.path.slice(0, split));
    const sum = header.reduce((a, b) => a + b, 0);
    field(header, 148, 8, `${octal(sum, 7)}\u0000`);
    parts.push(header, entry.data, new Uint8Array((BLOCK - entry.data.length % BLOCK) % BLOCK));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function text(header: Uint8Array, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/**
 * The regular files of a ustar archive (folders are implied by paths).
 *
 * @throws {SyntaxError} naming the offset of a header whose checksum does not match
 * @example
 * ```ts
 * const [entry] = readTar(writeTar([{ path: "a", mode: 0o644, data: new Uint8Array() }], 0));
 * ```
 */
export function readTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  while (at + BLOCK <= archive.length) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const stored = parseInt(text(header, 148, 8).trim(), 8);
    const sum = header.reduce((a, b, i) => a + (i >= 148 && i < 156 ? 32 : b), 0);
    if (stored !== sum) throw new SyntaxError(`tar header at byte ${at}: bad checksum`);
    const size = parseInt(text(header, 124, 12).trim() || "0", 8);
    const prefix = text(header, 345, 155);
    const name = text(header, 0, 100);
    const type = text(header, 156, 1);
    const start = at + BLOCK;
    if (start + size > archive.length) throw new SyntaxError(`tar entry ${name}: truncated`);
    if (type === "0" || type === "") {
      entries.push({
        path: prefix ? `${prefix}/${name}` : name,
        mode: parseInt(text(header, 100, 8).trim(), 8),
        data: archive.slice(start, start + size),
      });
    }
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}
