import type { CanaryTokensTable } from "../core/db/mod.ts";
import { artifactDates } from "./artifact_dates.ts";
import { contextFromToken } from "./context_from_token.ts";
import { instrumentUpload } from "./instrument_upload.ts";

/** An instrumented upload, ready to plant or download. */
export interface BlobArtifact {
  bytes: Uint8Array;
  mime: string;
  /** Mode it is planted with. */
  mode: number;
  /** Pretended modification time (ISO 8601), derived from the token. */
  modifiedAt: string;
}

/**
 * Derives the bait of a blob token: the stored upload instrumented with the
 * token's callback. Deterministic: the same upload and token give the same bytes.
 *
 * @param upload the stored bytes
 * @param options the token row and the upload's original file name
 * @returns bytes, media type, mode and backdated mtime
 * @throws {InstrumentError} when no instrumenter fits the upload
 */
export async function blobArtifact(
  upload: Uint8Array,
  options: {
    token: Pick<
      CanaryTokensTable,
      "callback_token" | "http_base" | "dns_zone" | "persona" | "created_at"
    >;
    filename: string;
  },
): Promise<BlobArtifact> {
  const context = contextFromToken(options.token);
  const out = await instrumentUpload(upload, context, { filename: options.filename });
  return {
    bytes: out.bytes,
    mime: out.mime,
    mode: 0o644,
    modifiedAt: artifactDates(context, "upload").modifiedAt.toISOString(),
  };
}
