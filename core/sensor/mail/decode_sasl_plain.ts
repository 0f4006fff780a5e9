/** What a SASL PLAIN response carries (RFC 4616). */
export interface SaslPlain {
  authzid: string;
  username: string;
  password: string;
}

/**
 * Decodes a SASL PLAIN response (`base64(authzid NUL user NUL password)`).
 * Pure.
 *
 * @param base64 the client's response line
 * @returns the parts; `"invalid"` when it is not base64, `null` when it lacks the two NULs
 * @example
 * ```ts
 * decodeSaslPlain("AGFuYQBzM2NyZXQ="); // { authzid: "", username: "ana", password: "s3cret" }
 * ```
 */
export function decodeSaslPlain(base64: string): SaslPlain | "invalid" | null {
  let text: string;
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 === 1) return "invalid";
    text = atob(base64);
  } catch {
    return "invalid";
  }
  const parts = text.split("\0");
  if (parts.length !== 3) return null;
  const utf8 = (s: string) => new TextDecoder().decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  return { authzid: utf8(parts[0]), username: utf8(parts[1]), password: utf8(parts[2]) };
}
