import type { ApiKeyRole, ApiKeyRow, ApiKeysRepository } from "../../core/db/mod.ts";
import type { RecordAudit } from "../../core/audit/mod.ts";
import { mintApiKey, type MintedApiKey } from "./mint_api_key.ts";
import { validateApiKeyName } from "./validate_api_key_name.ts";

/** What {@linkcode createApiKey} makes, and who is recorded as making it. */
export interface CreateApiKeyOptions {
  name: string;
  role: ApiKeyRole;
  /** ISO 8601; null or absent: never expires. */
  expiresAt?: string | null;
  /** The user name, or `cli`. */
  createdBy: string;
  audit: RecordAudit;
  now: Date;
  /** Random source of the key (tests pin it). */
  random?: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array;
}

/**
 * Creates a read-only API key (`POST /api/v1/api-keys`, `decnet api-key
 * create`): stores its hash and records `api_key.created` (without the key).
 *
 * @param keys the API keys repository
 * @param options name, role, expiry, creator, audit recorder and clock
 * @returns the stored row and the key itself, which only this caller ever sees
 * @throws {RangeError} naming `name` or `expires_at` when bad (expiry in the past)
 * @throws {SyntaxError} naming `name` or `expires_at` when it cannot be read
 * @example
 * ```ts
 * import type { ApiKeysRepository } from "../../core/db/mod.ts";
 * import type { RecordAudit } from "../../core/audit/mod.ts";
 * import { createApiKey } from "./create_api_key.ts";
 * declare const keys: ApiKeysRepository;
 * declare const audit: RecordAudit;
 * const { key } = await createApiKey(keys, { name: "siem", role: "viewer", createdBy: "cli", audit, now: new Date() });
 * ```
 */
export async function createApiKey(
  keys: Pick<ApiKeysRepository, "create">,
  options: CreateApiKeyOptions,
): Promise<{ row: ApiKeyRow; key: string }> {
  const { name, role, audit, now } = options;
  try {
    validateApiKeyName(name);
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`Bad name: ${e.message}`);
    if (e instanceof SyntaxError) throw new SyntaxError(`Bad name: ${e.message}`);
    throw e;
  }
  let expiresAt: string | null = null;
  if (options.expiresAt !== undefined && options.expiresAt !== null) {
    const time = Date.parse(options.expiresAt);
    if (Number.isNaN(time)) {
      throw new SyntaxError(
        `Bad expires_at: expected an ISO 8601 time, got "${options.expiresAt}"`,
      );
    }
    if (time <= now.getTime()) {
      throw new RangeError(
        `Bad expires_at: expected a time after ${now.toISOString()}, got "${options.expiresAt}"`,
      );
    }
    expiresAt = new Date(time).toISOString();
  }
  const minted: MintedApiKey = await mintApiKey({ random: options.random });
  const row = await keys.create({
    name,
    keyHash: minted.hash,
    keyPrefix: minted.prefix,
    role,
    createdBy: options.createdBy,
    expiresAt,
  });
  await audit({
    action: "api_key.created",
    target: row.uuid,
    outcome: "success",
    detail: { name, role, key_prefix: row.key_prefix, expires_at: expiresAt },
  });
  return { row, key: minted.key };
}
