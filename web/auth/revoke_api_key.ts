import type { ApiKeyRow, ApiKeysRepository } from "../../core/db/mod.ts";
import type { RecordAudit } from "../../core/audit/mod.ts";

/**
 * Revokes an API key now (`DELETE /api/v1/api-keys/{uuid}`, `decnet api-key
 * revoke`): the next request with it is a 401. Records `api_key.revoked`
 * the first time only.
 *
 * @param keys the API keys repository
 * @param options the key's id and the actor's audit recorder
 * @returns the key as it is now, or undefined when there is no such key
 * @example
 * ```ts
 * import type { ApiKeysRepository } from "../../core/db/mod.ts";
 * import type { RecordAudit } from "../../core/audit/mod.ts";
 * import { revokeApiKey } from "./revoke_api_key.ts";
 * declare const keys: ApiKeysRepository;
 * declare const audit: RecordAudit;
 * declare const uuid: string;
 * const row = await revokeApiKey(keys, { uuid, audit });
 * ```
 */
export async function revokeApiKey(
  keys: Pick<ApiKeysRepository, "revoke" | "get">,
  options: { uuid: string; audit: RecordAudit },
): Promise<ApiKeyRow | undefined> {
  const { uuid, audit } = options;
  if (await keys.revoke(uuid)) {
    const row = await keys.get(uuid);
    await audit({
      action: "api_key.revoked",
      target: uuid,
      outcome: "success",
      detail: { name: row?.name ?? null, key_prefix: row?.key_prefix ?? null },
    });
    return row;
  }
  return await keys.get(uuid);
}
