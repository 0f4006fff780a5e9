import type { TarEntry } from "./tar_archive.ts";

async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * `sha256sum` lines for `entries`, in their order (`sha256sum -c` checks them).
 *
 * @example
 * ```ts
 * await sha256Sums([{ path: "a", mode: 0o600, data: new Uint8Array() }]); // "e3b0...  a\n"
 * ```
 */
export async function sha256Sums(entries: TarEntry[]): Promise<string> {
  const lines = [];
  for (const e of entries) lines.push(`${await sha256Hex(e.data)}  ${e.path}\n`);
  return lines.join("");
}

/**
 * Checks `entries` against a SHA256SUMS text: every entry listed, every listed
 * entry present, every digest equal.
 *
 * @throws {Error} naming the first path that is missing, unlisted or altered
 * @example
 * ```ts
 * const entries = [{ path: "a", mode: 0o600, data: new Uint8Array() }];
 * await checkSha256Sums(entries, await sha256Sums(entries)); // passes
 * ```
 */
export async function checkSha256Sums(entries: TarEntry[], sums: string): Promise<void> {
  const expected = new Map<string, string>();
  for (const line of sums.split("\n").filter(Boolean)) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) throw new Error(`SHA256SUMS: bad line ${JSON.stringify(line)}`);
    expected.set(m[2], m[1]);
  }
  for (const e of entries) {
    const want = expected.get(e.path);
    if (want === undefined) throw new Error(`${e.path}: not listed in SHA256SUMS`);
    if (want !== await sha256Hex(e.data)) throw new Error(`${e.path}: checksum mismatch`);
    expected.delete(e.path);
  }
  const [missing] = expected.keys();
  if (missing !== undefined) throw new Error(`${missing}: listed in SHA256SUMS but missing`);
}
