import type JSZip from "jszip";
import { InstrumentError } from "./instrument_error.ts";

/** Loads an Office zip or rejects with the instrumenter's reason. */
export async function loadOfficeZip(instrumenter: string, input: Uint8Array): Promise<JSZip> {
  // Loaded on first use: the library is large and most workers never build this format.
  const { default: Zip } = await import("jszip");
  try {
    return await Zip.loadAsync(input);
  } catch (e) {
    throw new InstrumentError(instrumenter, "the file is not a readable ZIP archive", { cause: e });
  }
}

/** Text of a part, or rejects naming the missing part. */
export async function readPart(instrumenter: string, zip: JSZip, name: string): Promise<string> {
  const entry = zip.file(name);
  if (!entry) throw new InstrumentError(instrumenter, `the archive has no ${name}`);
  return await entry.async("string");
}

/** Rewrites a part, keeping its original date so the archive does not betray the edit. */
export function writePart(zip: JSZip, name: string, text: string, fallbackDate: Date): void {
  const date = zip.file(name)?.date ?? fallbackDate;
  zip.file(name, text, { date, createFolders: false });
}

/** A date already present in the archive, for new parts. */
export function archiveDate(zip: JSZip): Date {
  let date = new Date(Date.UTC(2020, 0, 1));
  zip.forEach((_, entry) => {
    if (entry.date > date) date = entry.date;
  });
  return date;
}

/** Adds an external relationship to a relationships part, with an unused rId; returns the rId. */
export function addRelationship(rels: string, relationship: (id: string) => string): {
  rels: string;
  id: string;
} {
  const used = [...rels.matchAll(/\bId="rId(\d+)"/g)].map((m) => Number(m[1]));
  const id = `rId${used.length ? Math.max(...used) + 1 : 1}`;
  const at = rels.lastIndexOf("</Relationships>");
  if (at < 0) throw new SyntaxError("Cannot add relationship: no </Relationships> end tag");
  return { rels: rels.slice(0, at) + relationship(id) + rels.slice(at), id };
}

/** Regenerates the archive deterministically. */
export function saveZip(zip: JSZip): Promise<Uint8Array> {
  return zip.generateAsync({
    type: "uint8array",
    compression: "DEFLATE",
    compressionOptions: { level: 6 },
  });
}
