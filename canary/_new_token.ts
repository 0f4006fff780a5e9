import type { CanaryTokensTable } from "../core/db/mod.ts";
import { uuidV4 } from "./_uuid_v4.ts";
import type { CanaryContext, CanaryPersona } from "./canary_context.ts";
import { mintSlug } from "./mint_slug.ts";
import { resolvePersona } from "./resolve_persona.ts";

/** What a new token is minted from. */
export interface NewTokenOptions {
  /** `canaryHttpBase` and `canaryDnsZone` of the configuration. */
  config: { canaryHttpBase: string; canaryDnsZone: string };
  persona: CanaryPersona;
  /** Seeds the bait's names and paths. @default the slug */
  shapeSeed?: string;
  /** Host names that resolve on the decky (see `CanaryContext.peers`). */
  peers?: readonly string[];
  /** The token's created_at, which anchors the artifact's dates. */
  now: Date;
  /** Randomness for the slug and the row uuid. @default crypto.getRandomValues */
  fillRandom?: (buffer: Uint8Array) => Uint8Array;
}

/** A freshly minted slug's context, and the means to finish its row. */
export interface NewToken {
  context: CanaryContext;
  /** The `issued` row for this context with the bait-specific fields filled in. */
  row(
    fields: Pick<
      CanaryTokensTable,
      | "kind"
      | "generator"
      | "blob_uuid"
      | "content_class"
      | "decky_name"
      | "decky_uuid"
      | "placement_path"
    >,
  ): CanaryTokensTable;
}

/** Mints a slug and its context; the same for generated bait and instrumented uploads. */
export function newToken(options: NewTokenOptions): NewToken {
  const fill = options.fillRandom ?? ((b: Uint8Array) => crypto.getRandomValues(b));
  const slug = mintSlug(fill);
  const issuedAt = options.now.toISOString();
  const context: CanaryContext = {
    slug,
    httpBase: options.config.canaryHttpBase.replace(/\/+$/, ""),
    dnsZone: options.config.canaryDnsZone,
    persona: options.persona,
    ...(options.shapeSeed === undefined ? {} : { shapeSeed: options.shapeSeed }),
    ...(options.peers === undefined ? {} : { peers: options.peers }),
    issuedAt,
  };
  return {
    context,
    row: (fields) => ({
      ...fields,
      uuid: uuidV4(fill),
      callback_token: slug,
      callback_token_lc: slug.toLowerCase(),
      persona: JSON.stringify(resolvePersona(context)),
      http_base: context.httpBase,
      dns_zone: context.dnsZone,
      state: "issued",
      trigger_count: 0,
      suppressed_count: 0,
      pruned_count: 0,
      // Set by who plants it on a swarm host's decky (the token is the master's either way).
      decky_host: null,
      last_triggered_at: null,
      last_error: null,
      created_at: issuedAt,
      updated_at: issuedAt,
    }),
  };
}
