import type { CanaryTokensTable } from "../core/db/mod.ts";
import { newToken } from "./_new_token.ts";
import type { NewTokenOptions } from "./_new_token.ts";
import { validatePlacementPath } from "./validate_placement_path.ts";

/** Options of {@linkcode issueBlobCanary}. */
export interface IssueBlobCanaryOptions extends NewTokenOptions {
  deckyName?: string | null;
  deckyUuid?: string | null;
  /** Where it goes (validated); null when the operator places it by hand. */
  placementPath?: string | null;
}

/**
 * The token row for bait made from an operator upload: kind `http` (the
 * instrumenters embed the callback URL), state `issued`. The bytes are
 * derived from the stored upload with {@linkcode blobArtifact}.
 *
 * @param blobUuid the upload's row
 * @param options configuration, persona, clock, randomness and placement
 * @returns the row to insert
 * @throws {TypeError} for a bad placement path
 */
export function issueBlobCanary(
  blobUuid: string,
  options: IssueBlobCanaryOptions,
): CanaryTokensTable {
  const { row } = newToken(options);
  const path = options.placementPath == null ? null : validatePlacementPath(options.placementPath);
  return row({
    kind: "http",
    generator: null,
    blob_uuid: blobUuid,
    content_class: null,
    decky_name: options.deckyName ?? null,
    decky_uuid: options.deckyUuid ?? null,
    placement_path: path,
  });
}
