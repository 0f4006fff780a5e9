// Folder-private MIME helpers for e-mail building (RFC 2045, 2047, 5322).

const encoder = new TextEncoder();
const ASCII_PRINTABLE_REGEXP = /^[\x20-\x7e]*$/;
const ATOM_SPECIALS_REGEXP = /[()<>\[\]:;@\\,."]/;

/** Base64 of bytes. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Header text as is when printable ASCII, else RFC 2047 B-encoded words of at most 75 characters. */
export function encodeHeaderText(text: string): string {
  if (ASCII_PRINTABLE_REGEXP.test(text)) return text;
  const words: string[] = [];
  let chunk = "";
  for (const char of text) {
    // 45 bytes of UTF-8 -> 60 base64 characters; with "=?UTF-8?B?" and "?=" that is 72.
    if (encoder.encode(chunk + char).length > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  if (chunk !== "") words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(encoder.encode(w))}?=`).join(" ");
}

/** `Name <addr>` with the display name quoted or encoded as needed. */
export function formatAddress(name: string, address: string): string {
  const clean = name.replace(/[\r\n]/g, " ").trim();
  if (clean === "") return `<${address}>`;
  if (!ASCII_PRINTABLE_REGEXP.test(clean)) return `${encodeHeaderText(clean)} <${address}>`;
  if (ATOM_SPECIALS_REGEXP.test(clean)) {
    return `"${clean.replace(/["\\]/g, (c) => `\\${c}`)}" <${address}>`;
  }
  return `${clean} <${address}>`;
}

/** One header, folded at spaces so no line exceeds 78 characters where possible. */
export function foldHeader(name: string, value: string): string {
  const words = value.split(" ");
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of words) {
    if (line.length + 1 + word.length > 78 && line.length > name.length + 1) {
      lines.push(line);
      line = "";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join("\r\n");
}

/** Quoted-printable (RFC 2045) of UTF-8 text with CRLF line breaks; lines at most 76 characters. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const rawLine of text.split("\n")) {
    const bytes = encoder.encode(rawLine.replace(/\r$/, ""));
    let line = "";
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      const last = i === bytes.length - 1;
      const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      const token = plain
        ? String.fromCharCode(b)
        : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
      if (line.length + token.length > 75) {
        out.push(`${line}=`);
        line = "";
      }
      line += token;
    }
    out.push(line);
  }
  return out.join("\r\n");
}

/** Base64 of UTF-8 text in lines of 76 characters. */
export function base64Lines(text: string): string {
  const encoded = base64(encoder.encode(text));
  return encoded.match(/.{1,76}/g)?.join("\r\n") ?? "";
}
