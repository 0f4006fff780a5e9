const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Text a client sent, for an event field: the bytes read as UTF-8 when they
 * are valid UTF-8 (what clients send today), else kept one character per
 * byte, so nothing an attacker typed is lost or replaced.
 *
 * @param bytes the bytes received, or a latin1 string holding them (as ConnReader.readLine returns)
 * @returns the text for the event
 * @example
 * ```ts
 * wireText("caf\xc3\xa9"); // "café"
 * wireText("caf\xe9"); // "caf\xe9" (not UTF-8: one character per byte)
 * ```
 */
export function wireText(bytes: string | Uint8Array): string {
  const raw = typeof bytes === "string" ? Uint8Array.from(bytes, (c) => c.charCodeAt(0)) : bytes;
  try {
    return utf8.decode(raw);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    let s = "";
    for (const b of raw) s += String.fromCharCode(b);
    return s;
  }
}
