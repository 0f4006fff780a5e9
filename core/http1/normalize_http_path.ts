/**
 * The path as nginx's complex-URI pass makes it: query cut off, %XX decoded
 * (a bad escape or a decoded NUL is an error), "//" merged, "." dropped and
 * ".." resolved (climbing above the root is an error).
 *
 * @param rawPath the request target from its first "/" on, as sent
 * @returns the path locations are matched against, or null when nginx answers 400
 * @example
 * ```ts
 * normalizeHttpPath("/c//x/./y/../z?q=1"); // "/c/x/z"
 * normalizeHttpPath("/../etc"); // null
 * ```
 */
export function normalizeHttpPath(rawPath: string): string | null {
  const q = rawPath.search(/[?#]/);
  const raw = q < 0 ? rawPath : rawPath.slice(0, q);
  let decoded = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== "%") {
      decoded += c;
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    const byte = parseInt(hex, 16);
    if (byte === 0) return null;
    decoded += String.fromCharCode(byte);
    i += 2;
  }
  const out: string[] = [];
  const segments = decoded.split("/");
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i];
    const last = i === segments.length - 1;
    if (s === "" && !last) continue;
    if (s === ".") {
      if (last) out.push("");
      continue;
    }
    if (s === "..") {
      if (out.length === 0) return null;
      out.pop();
      if (last) out.push("");
      continue;
    }
    out.push(s);
  }
  return "/" + out.join("/");
}
