import type { CanaryRepository } from "../../core/db/mod.ts";

/** What `insertToken` takes. */
export type TokenInput = Parameters<CanaryRepository["insertToken"]>[0];

/** A valid planted http token on web-01 (an aws_credentials file); override what a test needs. */
export function makeTokenInput(overrides: Partial<TokenInput> = {}): TokenInput {
  return {
    uuid: "5f0c2f4e-1111-4c3b-9a57-000000000001",
    callback_token: "QwErTyUiOpAsDfGhJkLzXc",
    kind: "http",
    generator: "aws_credentials",
    blob_uuid: null,
    content_class: null,
    decky_name: "web-01",
    decky_uuid: null,
    placement_path: "/root/.aws/credentials",
    persona: null,
    http_base: "http://192.0.2.1",
    dns_zone: "example.test",
    state: "planted",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
    ...overrides,
  };
}
