import { z } from "zod";
import type { AnyRouteSpec } from "./api_router.ts";

/** A mounted router's declared routes. */
export interface RouteGroup {
  base: string;
  specs: readonly AnyRouteSpec[];
}

/**
 * Builds the OpenAPI 3.1 document from the same zod schemas that validate
 * requests, so the two cannot drift.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "./app_deps.ts";
 * import type { AuthGuard } from "./api_router.ts";
 * import { buildOpenApi } from "./openapi.ts";
 * import { authRouter } from "./api/v1/auth.ts";
 * declare const deps: AppDeps;
 * declare const guard: AuthGuard;
 * const auth = authRouter(deps, guard);
 * const doc = buildOpenApi([{ base: "/api/v1/auth", specs: auth.specs }], "0.1.0");
 * ```
 */
export function buildOpenApi(
  groups: readonly RouteGroup[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const group of groups) {
    for (const spec of group.specs) {
      const path = (group.base + spec.path).replace(/\/$/, "").replace(/:(\w+)/g, "{$1}");
      const declared = spec.params ? parameters(spec.params, "path") : [];
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) =>
        declared.find((p) => p.name === m[1]) ??
          { name: m[1], in: "path", required: true, schema: { type: "string" } }
      );
      const queryParams = spec.query ? parameters(spec.query, "query") : [];
      const operation: Record<string, unknown> = {
        summary: spec.summary,
        ...(spec.description ? { description: spec.description } : {}),
        // Read-only API keys (bearer `dk_...` or X-Api-Key) work on GET routes only.
        security: spec.access === "public"
          ? []
          : spec.method === "get"
          ? [{ bearer: [] }, { apiKey: [] }]
          : [{ bearer: [] }],
        "x-role": spec.access,
        parameters: [...params, ...queryParams],
        responses: Object.fromEntries(
          Object.entries(spec.responses ?? { 200: "OK" }).map(([status, description]) => [
            status,
            { description },
          ]),
        ),
      };
      if (spec.body) {
        operation.requestBody = {
          required: true,
          content: { "application/json": { schema: z.toJSONSchema(spec.body, { io: "input" }) } },
        };
      }
      (paths[path] ??= {})[spec.method] = operation;
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "decnet API", version },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT or dk_ API key" },
        apiKey: { type: "apiKey", in: "header", name: "X-Api-Key" },
      },
      schemas: {
        Error: {
          type: "object",
          properties: {
            error: {
              type: "object",
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                field: { type: "string" },
              },
              required: ["code", "message"],
            },
          },
        },
      },
    },
    paths,
  };
}

function parameters(
  schema: z.ZodType,
  where: "path" | "query",
): (Record<string, unknown> & { name: string })[] {
  const json = z.toJSONSchema(schema, { io: "input" }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (json.required?.includes(name) ?? false),
    schema: s,
  }));
}
