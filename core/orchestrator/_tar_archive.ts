// Folder-private: a POSIX (pax) tar archive of a small tree, so many files
// reach a decky through one `tar -x` instead of one exec each.

/** A file of the archive. */
export interface TarFile {
  /** Relative, `/`-separated, no `.` or `..` parts. */
  path: string;
  bytes: Uint8Array;
  mode: number;
  /** Seconds since the epoch with nanoseconds, as `stat` prints them ("1764580000.123456789"). */
  mtime: string;
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array();

function compareSegments(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * The archive: the files and a directory entry for every parent (mode 0755,
 * dated as its newest entry, as a real write leaves it). Each entry has a
 * pax header carrying its path and its mtime with nanoseconds.
 *
 * @throws {TypeError} naming the path when one is absolute or has `.`/`..` parts
 */
export function tarArchive(files: readonly TarFile[]): Uint8Array {
  const dirs = new Map<string, string>();
  for (const f of files) {
    if (
      !/^[^/]/.test(f.path) || f.path.split("/").some((p) => p === "" || p === "." || p === "..")
    ) {
      throw new TypeError(`Cannot archive: path must be relative without . or .., got "${f.path}"`);
    }
    const parts = f.path.split("/");
    for (let i = parts.length - 1; i > 0; i--) {
      const dir = parts.slice(0, i).join("/");
      const seen = dirs.get(dir);
      if (seen === undefined || Number(seen) < Number(f.mtime)) dirs.set(dir, f.mtime);
    }
  }
  // Tree order, each directory right before its contents: tar dates a
  // directory once the members inside it are done.
  const members = [
    ...[...dirs].map(([path, mtime]) => ({ path, mtime, dir: true, mode: 0o755, bytes: EMPTY })),
    ...files.map((f) => ({ ...f, dir: false })),
  ].sort((a, b) => compareSegments(a.path.split("/"), b.path.split("/")));
  const blocks: Uint8Array[] = [];
  for (const m of members) {
    blocks.push(
      ...entry(m.dir ? `${m.path}/` : m.path, m.dir ? "5" : "0", m.mode, m.mtime, m.bytes),
    );
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function entry(
  path: string,
  type: "0" | "5",
  mode: number,
  mtime: string,
  bytes: Uint8Array,
): Uint8Array[] {
  const records = [paxRecord("path", path), paxRecord("mtime", mtime)].join("");
  const pax = encoder.encode(records);
  return [
    header("PaxHeader", "x", 0o644, mtime, pax.length),
    padded(pax),
    header(path.slice(0, 99), type, mode, mtime, bytes.length),
    padded(bytes),
  ];
}

// "<length> key=value\n", the length counting itself.
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const size = encoder.encode(body).length;
  let length = size + String(size).length;
  if (String(length).length !== String(size).length) length = size + String(length).length;
  return `${length}${body}`;
}

function header(name: string, type: string, mode: number, mtime: string, size: number): Uint8Array {
  const h = new Uint8Array(512);
  const put = (at: number, text: string) => h.set(encoder.encode(text), at);
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, "0");
  put(0, name);
  put(100, octal(mode & 0o7777, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(Math.floor(Number(mtime)), 12));
  put(148, "        ");
  put(156, type);
  put(257, "ustar\u000000");
  const sum = h.reduce((n, b) => n + b, 0);
  put(148, `${sum.toString(8).padStart(6, "0")}\u0000 `);
  return h;
}

function padded(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 512) * 512);
  out.set(bytes);
  return out;
}
