import type { InstrumenterName } from "./instrumenters/instrumenter.ts";

/** What an upload is and which instrumenter fits it. */
export interface SniffResult {
  mime: string;
  /** Undefined when no instrumenter fits (the upload is refused unless passthrough is asked for). */
  instrumenter?: InstrumenterName;
}

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((b, i) => bytes[at + i] === b);
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

function textHead(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 4096);
  if (head.includes(0)) return undefined;
  try {
    // A multi-byte character may be cut at the end of the window.
    return new TextDecoder("utf-8", { fatal: true }).decode(
      head.length === bytes.length ? head : head.subarray(0, head.length - 4),
    );
  } catch {
    return undefined;
  }
}

/**
 * Sniffs an upload by its magic bytes (PNG, JPEG, GIF, PDF, ZIP holding
 * DOCX or XLSX, HTML, XML) and, when the head is text, by its name (JSON,
 * YAML, TOML, plain text), and names the instrumenter that fits.
 *
 * @param bytes the upload
 * @param filename its original name, if known
 * @returns the media type and instrumenter
 */
export function sniffMime(bytes: Uint8Array, filename: string = ""): SniffResult {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { mime: "image/png", instrumenter: "image" };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: "image/jpeg", instrumenter: "image" };
  const six = latin1(bytes.subarray(0, 6));
  if (six === "GIF87a" || six === "GIF89a") return { mime: "image/gif", instrumenter: "image" };
  if (latin1(bytes.subarray(0, 1024)).includes("%PDF-")) {
    return { mime: "application/pdf", instrumenter: "pdf" };
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // Entry names sit in clear in the local headers and the central directory.
    const names = latin1(bytes);
    if (names.includes("word/document.xml")) return { mime: DOCX, instrumenter: "docx" };
    if (names.includes("xl/workbook.xml")) return { mime: XLSX, instrumenter: "xlsx" };
    return { mime: "application/zip" };
  }
  const text = textHead(bytes);
  if (text === undefined) return { mime: "application/octet-stream" };
  const lead = text.replace(/^\uFEFF/, "").trimStart().toLowerCase();
  if (
    lead.startsWith("<!doctype html") || lead.startsWith("<html") || /<(html|body)[\s>]/.test(lead)
  ) {
    return { mime: "text/html", instrumenter: "html" };
  }
  if (lead.startsWith("<?xml")) return { mime: "application/xml", instrumenter: "plain" };
  const ext = filename.toLowerCase().split(".").pop() ?? "";
  if (ext === "json") return { mime: "application/json", instrumenter: "plain" };
  if (ext === "yaml" || ext === "yml") return { mime: "application/yaml", instrumenter: "plain" };
  if (ext === "toml") return { mime: "application/toml", instrumenter: "plain" };
  if (ext === "html" || ext === "htm") return { mime: "text/html", instrumenter: "html" };
  return { mime: "text/plain", instrumenter: "plain" };
}
