import { z } from "zod";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";
import { requestAudit } from "../../request_audit.ts";
import {
  DEFAULT_REALISM_SETTINGS,
  parsePersonas,
  parseRealismSettings,
  PersonaPool,
  personaPoolPaths,
  REALISM_SETTINGS_KEY,
  writePersonaPool,
} from "../../../realism/mod.ts";
import type { DroppedPersona } from "../../../realism/mod.ts";

/** Body of a persona replacement: a JSON array (each entry validated on its own). */
const PersonaList = z.array(z.unknown()).max(1000, "expected at most 1000 personas");

/** Refuses a persona list with no valid entry (400 naming every reason). */
function requireSomePersonas(dropped: readonly DroppedPersona[], valid: number): void {
  if (valid > 0) return;
  const reasons = dropped.map((d) =>
    `entry ${d.index}${d.name ? ` (${d.name})` : ""}: ${d.reason}`
  );
  throw new HttpError(
    400,
    "invalid_request",
    `Invalid body: no valid persona${reasons.length ? `; ${reasons.join("; ")}` : " (empty list)"}`,
    { field: "body" },
  );
}

/**
 * `/api/v1/realism`: the global persona pool (viewers read, admins replace
 * it; the file is written atomically) and the realism settings (class
 * weights, canary probability, action mix, LLM), validated whole.
 */
export function realismRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/realism", guard);
  const path = personaPoolPaths({ configuredPath: deps.config.realismPersonas })[0];
  const pool = new PersonaPool({ configuredPath: path });

  router.route({
    method: "get",
    path: "/personas",
    summary: "The global persona pool (fleet and shard deckies draw from it)",
    access: "viewer",
  }, async (c) => {
    try {
      const loaded = await pool.load();
      return c.json({
        path,
        items: loaded.personas,
        total: loaded.personas.length,
        dropped: loaded.dropped,
      });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        return c.json({ path, items: [], total: 0, dropped: [] });
      }
      if (e instanceof SyntaxError || e instanceof TypeError) {
        throw new HttpError(
          409,
          "unreadable_pool",
          `Cannot read persona pool ${path}: ${e.message}`,
        );
      }
      throw e;
    }
  });

  router.route({
    method: "put",
    path: "/personas",
    summary: "Replace the global persona pool; invalid entries are dropped with reasons",
    access: "admin",
    body: PersonaList,
    responses: { 200: "Written", 400: "No valid persona" },
  }, async (c, { body }) => {
    const { personas, dropped } = parsePersonas(body);
    requireSomePersonas(dropped, personas.length);
    const audit = requestAudit(deps, c);
    try {
      await writePersonaPool(path, personas);
    } catch (e) {
      await audit({
        action: "realism.personas_changed",
        target: path,
        outcome: "failure",
        detail: { error: e instanceof Error ? e.message : String(e) },
      });
      if (!(e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable)) {
        throw e;
      }
      throw new HttpError(
        409,
        "not_writable",
        `Cannot write persona pool ${path}: permission denied (set DECNET_REALISM_PERSONAS to a writable file)`,
      );
    }
    pool.resetCache();
    await audit({
      action: "realism.personas_changed",
      target: path,
      outcome: "success",
      detail: { written: personas.length, dropped: dropped.length },
    });
    deps.log.info("persona pool replaced", {
      path,
      written: personas.length,
      dropped: dropped.length,
      by: c.get("user").username,
    });
    return c.json({ path, written: personas.length, items: personas, dropped });
  });

  router.route({
    method: "get",
    path: "/config",
    summary: "Realism settings: class weights, canary probability, action mix, LLM settings",
    access: "viewer",
  }, async (c) => {
    const stored = await deps.repos.settings.get(REALISM_SETTINGS_KEY);
    const parsed = stored === undefined ? null : parseRealismSettings(stored);
    const settings = parsed?.ok ? parsed.settings : DEFAULT_REALISM_SETTINGS;
    return c.json({
      ...settings,
      stored: parsed?.ok ?? false,
      llm_backend: deps.config.realismLlm || null,
    });
  });

  router.route({
    method: "put",
    path: "/config",
    summary:
      "Replace the realism settings (validated whole; the orchestrator reads them within 5 ticks)",
    access: "admin",
    body: z.unknown(),
    responses: { 200: "Stored", 400: "Invalid settings (every issue listed)" },
  }, async (c, { body }) => {
    const parsed = parseRealismSettings(body);
    if (!parsed.ok) {
      const first = parsed.errors[0];
      throw new HttpError(
        400,
        "invalid_request",
        `Invalid body: ${
          parsed.errors.map((e) => `${e.field || "body"}: ${e.message}`).join("; ")
        }`,
        { field: first.field ? `body.${first.field}` : "body" },
      );
    }
    await deps.repos.settings.put(REALISM_SETTINGS_KEY, parsed.settings);
    await requestAudit(deps, c)({
      action: "realism.config_changed",
      target: REALISM_SETTINGS_KEY,
      outcome: "success",
      // The settings as stored (weights, mix, LLM model: nothing secret), a plain JSON copy.
      detail: { settings: JSON.parse(JSON.stringify(parsed.settings)) },
    });
    deps.log.info("realism settings replaced", { by: c.get("user").username });
    return c.json({
      ...parsed.settings,
      stored: true,
      llm_backend: deps.config.realismLlm || null,
    });
  });
  return router;
}
