import type { CanaryBlobRow, CanaryTokenRow } from "../../../core/db/mod.ts";

/** The wire shape of a token (persona parsed, the lower-cased slug left out). */
export function tokenView(t: CanaryTokenRow): Record<string, unknown> {
  let persona: unknown = t.persona;
  if (t.persona) {
    try {
      persona = JSON.parse(t.persona);
    } catch {
      // stored as a bare word: send it as it is
    }
  }
  return {
    uuid: t.uuid,
    callback_token: t.callback_token,
    kind: t.kind,
    generator: t.generator,
    blob_uuid: t.blob_uuid,
    content_class: t.content_class,
    decky_name: t.decky_name,
    decky_uuid: t.decky_uuid,
    decky_host: t.decky_host,
    placement_path: t.placement_path,
    persona,
    http_base: t.http_base,
    dns_zone: t.dns_zone,
    state: t.state,
    trigger_count: Number(t.trigger_count),
    suppressed_count: Number(t.suppressed_count),
    pruned_count: Number(t.pruned_count),
    last_triggered_at: t.last_triggered_at,
    last_error: t.last_error,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

/** The wire shape of a blob. */
export function blobView(b: CanaryBlobRow & { token_count?: number }): Record<string, unknown> {
  return {
    uuid: b.uuid,
    sha256: b.sha256,
    filename: b.filename,
    mime: b.mime,
    size: Number(b.size),
    created_at: b.created_at,
    ...(b.token_count !== undefined ? { token_count: b.token_count } : {}),
  };
}
