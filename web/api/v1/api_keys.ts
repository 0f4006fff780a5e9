import { z } from "zod";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { apiKeyView } from "../../auth/api_key_view.ts";
import { createApiKey } from "../../auth/create_api_key.ts";
import { revokeApiKey } from "../../auth/revoke_api_key.ts";
import { sessionsChanged } from "../../auth/sessions_changed.ts";
import { MAX_API_KEY_NAME, validateApiKeyName } from "../../auth/validate_api_key_name.ts";
import { HttpError } from "../../http_error.ts";
import { requestAudit } from "../../request_audit.ts";
import { zodRule } from "../../zod_rule.ts";

const CreateKey = z.object({
  name: zodRule(validateApiKeyName, MAX_API_KEY_NAME),
  role: z.enum(["viewer", "admin-read"]),
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
}).strict();

const Page = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
}).strict();

const UuidParams = z.object({ uuid: z.uuid() });

/**
 * `/api/v1/api-keys` (admin): read-only API keys for SIEM/SOAR pulls. A key
 * is shown once, at creation; lists carry its prefix only.
 */
export function apiKeysRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/api-keys", guard);

  router.route({
    method: "get",
    path: "/",
    summary: "API keys, newest first (never the key itself)",
    access: "admin",
    query: Page,
  }, async (c, { query }) => {
    const { items, total } = await deps.repos.apiKeys.list(query);
    const now = deps.now();
    return c.json({ items: items.map((k) => apiKeyView(k, now)), total });
  });

  router.route({
    method: "post",
    path: "/",
    summary: "Create a read-only API key; the response's `key` is the only time it is shown",
    description: "Use it as `Authorization: Bearer dk_...` or `X-Api-Key: dk_...` on GET " +
      "requests; any other method is a 403. `viewer` reads what a viewer reads, `admin-read` " +
      "what an admin reads (credential secrets included).",
    access: "admin",
    body: CreateKey,
    responses: { 201: "Created (with `key`)", 400: "Invalid body (the field is named)" },
  }, async (c, { body }) => {
    const now = deps.now();
    try {
      const { row, key } = await createApiKey(deps.repos.apiKeys, {
        name: body.name,
        role: body.role,
        expiresAt: body.expires_at ?? null,
        createdBy: c.get("user").username,
        audit: requestAudit(deps, c),
        now,
      });
      deps.log.info("api key created", { by: c.get("user").username, key: row.uuid });
      return c.json({ ...apiKeyView(row, now), key }, 201);
    } catch (e) {
      if (!(e instanceof RangeError || e instanceof SyntaxError)) throw e;
      // The schema has checked the name and the time's form: what is left is an expiry already past.
      throw new HttpError(400, "invalid_request", e.message, { field: "body.expires_at" });
    }
  });

  router.route({
    method: "delete",
    path: "/:uuid",
    summary: "Revoke an API key (at once: its next request is a 401)",
    access: "admin",
    params: UuidParams,
    responses: { 200: "Revoked (the key as it is now)", 400: "Not a UUID", 404: "No such key" },
  }, async (c, { params: { uuid } }) => {
    const row = await revokeApiKey(deps.repos.apiKeys, { uuid, audit: requestAudit(deps, c) });
    if (!row) {
      throw new HttpError(404, "not_found", `No such API key: ${uuid}`, { field: "path.uuid" });
    }
    sessionsChanged(deps);
    deps.log.info("api key revoked", { by: c.get("user").username, key: uuid });
    return c.json(apiKeyView(row, deps.now()));
  });

  return router;
}
