/** One DER element: its tag, where its contents sit, and where it ends. */
export interface DerElement {
  tag: number;
  contents: Uint8Array;
  end: number;
}

/**
 * Reads the DER element starting at `at` (single-byte tags, definite
 * lengths up to 4 length bytes), or undefined when the bytes do not hold one.
 */
export function readDer(bytes: Uint8Array, at = 0): DerElement | undefined {
  if (at + 2 > bytes.length) return undefined;
  const tag = bytes[at];
  let length = bytes[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i];
    start += count;
  }
  if (start + length > bytes.length) return undefined;
  return { tag, contents: bytes.subarray(start, start + length), end: start + length };
}

/** The elements inside a constructed element's contents, in order. */
export function readDerChildren(contents: Uint8Array): DerElement[] {
  const out: DerElement[] = [];
  for (let at = 0; at < contents.length;) {
    const element = readDer(contents, at);
    if (!element) return out;
    out.push(element);
    at = element.end;
  }
  return out;
}

/** Encodes one DER element from its tag and the concatenated parts. */
export function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const head = length < 0x80
    ? [tag, length]
    : length < 0x100
    ? [tag, 0x81, length]
    : length < 0x10000
    ? [tag, 0x82, length >> 8, length & 0xff]
    : [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  const out = new Uint8Array(head.length + length);
  out.set(head);
  let at = head.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
