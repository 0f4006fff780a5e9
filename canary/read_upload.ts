import type { CanaryBlobRow } from "../core/db/mod.ts";
import type { BlobStore } from "./blob_store.ts";
import { TokenRequestError } from "./token_request_error.ts";

/**
 * The stored bytes of an upload's row.
 *
 * @example
 * ```ts
 * import type { CanaryBlobRow } from "../core/db/mod.ts";
 * import type { BlobStore } from "./blob_store.ts";
 * import { readUpload } from "./read_upload.ts";
 * declare const store: BlobStore;
 * declare const blob: CanaryBlobRow;
 * const bytes = await readUpload(store, blob);
 * ```
 * @throws {TokenRequestError} `gone` on `blob_uuid` when the row's bytes are no longer stored
 */
export async function readUpload(
  store: BlobStore,
  blob: Pick<CanaryBlobRow, "sha256" | "uuid">,
): Promise<Uint8Array> {
  try {
    return await store.get(blob.sha256);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new TokenRequestError("blob_uuid", `The bytes of blob ${blob.uuid} are gone`, "gone", {
      cause: e,
    });
  }
}
