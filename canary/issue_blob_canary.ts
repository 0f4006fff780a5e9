import type { CanaryTokensTable } from "../core/db/mod.ts";
import { uuidV4 } from "./_uuid_v4.ts";
import type { CanaryContext, CanaryPersona } from "./canary_context.ts";
import { mintSlug } from "./mint_slug.ts";
import { resolvePersona } from "./resolve_persona.ts";
import { validatePlacementPath } from "./validate_placement_path.ts";

/** Options of {@linkcode issueBlobCanary}. */
export interface IssueBlobCanaryOptions {
  /** `canaryHttpBase` and `canaryDnsZone` of the configuration. */
  config: { canaryHttpBase: string; canaryDnsZone: string };
  persona: CanaryPersona;
  /** The token's created_at, which anchors the artifact's dates. */
  now: Date;
  /** Randomness for the slug and the row uuid. @default crypto.getRandomValues */
  fillRandom?: (buffer: Uint8Array) => Uint8Array;
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
  const fill = options.fillRandom ?? ((b: Uint8Array) => crypto.getRandomValues(b));
  const slug = mintSlug(fill);
  const issuedAt = options.now.toISOString();
  const context: CanaryContext = {
    slug,
    httpBase: options.config.canaryHttpBase.replace(/\/+$/, ""),
    dnsZone: options.config.canaryDnsZone,
    persona: options.persona,
    issuedAt,
  };
  const path = options.placementPath == null ? null : validatePlacementPath(options.placementPath);
  return {
    uuid: uuidV4(fill),
    callback_token: slug,
    callback_token_lc: slug.toLowerCase(),
    kind: "http",
    generator: null,
    blob_uuid: blobUuid,
    content_class: null,
    decky_name: options.deckyName ?? null,
    decky_uuid: options.deckyUuid ?? null,
    placement_path: path,
    persona: JSON.stringify(resolvePersona(context)),
    http_base: context.httpBase,
    dns_zone: context.dnsZone,
    state: "issued",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
    created_at: issuedAt,
    updated_at: issuedAt,
  };
}
