import { Hono } from "hono";
import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AppEnv } from "./app_env.ts";
import { HttpError } from "./http_error.ts";

/** Who may call a route: nobody signed in, any user, or admins only. */
export type RouteAccess = "public" | "viewer" | "admin";

/** What a route declares: used both to validate requests and to write the OpenAPI document. */
export interface RouteSpec<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
> {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Hono path relative to the router's mount point, e.g. `/tokens/:uuid`. */
  path: string;
  summary: string;
  /** Longer text for the document (markdown). */
  description?: string;
  access: RouteAccess;
  body?: B;
  query?: Q;
  /** The path parameters (`:name`), checked like the body: a bad one is a 400 naming `path.name`. */
  params?: P;
  /** Status -> description, for the document. */
  responses?: Record<number, string>;
}

/** The validated input a handler receives. */
export interface RouteInput<B, Q, P = undefined> {
  body: B extends z.ZodType ? z.infer<B> : undefined;
  query: Q extends z.ZodType ? z.infer<Q> : undefined;
  params: P extends z.ZodType ? z.infer<P> : undefined;
}

/** Builds the middleware that authenticates a request and checks its role. */
export type AuthGuard = (access: Exclude<RouteAccess, "public">) => MiddlewareHandler<AppEnv>;

/** A declared route whatever its schemas. */
export type AnyRouteSpec = RouteSpec<
  z.ZodType | undefined,
  z.ZodType | undefined,
  z.ZodType | undefined
>;

/**
 * A Hono sub-app whose routes are declared with zod schemas: bodies, query
 * strings and path parameters are validated (400 naming the field) and every route is
 * recorded for the OpenAPI document.
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import { z } from "zod";
 * import type { AppEnv } from "./app_env.ts";
 * import { ApiRouter, type AuthGuard } from "./api_router.ts";
 * declare const app: Hono<AppEnv>;
 * declare const guard: AuthGuard;
 * declare function login(body: { username: string; password: string }): Promise<{ token: string }>;
 * const Login = z.object({ username: z.string(), password: z.string() });
 * const router = new ApiRouter("/api/v1/auth", guard);
 * router.route({ method: "post", path: "/login", summary: "Log in", access: "public", body: Login },
 *   async (c, { body }) => c.json(await login(body)));
 * app.route(router.base, router.app);
 * ```
 */
export class ApiRouter {
  readonly app: Hono<AppEnv> = new Hono<AppEnv>();
  readonly base: string;
  readonly #guard: AuthGuard;
  readonly #specs: AnyRouteSpec[] = [];

  constructor(base: string, guard: AuthGuard) {
    this.base = base;
    this.#guard = guard;
  }

  /** Declared routes (for the OpenAPI document). */
  get specs(): readonly AnyRouteSpec[] {
    return this.#specs;
  }

  route<
    B extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    P extends z.ZodType | undefined = undefined,
  >(
    spec: RouteSpec<B, Q, P>,
    handler: (c: Context<AppEnv>, input: RouteInput<B, Q, P>) => Response | Promise<Response>,
  ): void {
    this.#specs.push(spec);
    const middleware: MiddlewareHandler<AppEnv>[] = spec.access === "public"
      ? []
      : [this.#guard(spec.access)];
    this.app.on([spec.method.toUpperCase()], [spec.path], ...middleware, async (c) => {
      // Path first: a request for a thing that cannot exist is refused before its body is read.
      const params = spec.params ? parseInput(spec.params, c.req.param(), "path") : undefined;
      const body = spec.body ? parseInput(spec.body, await readJson(c), "body") : undefined;
      const query = spec.query ? parseInput(spec.query, c.req.query(), "query") : undefined;
      return await handler(c, { body, query, params } as RouteInput<B, Q, P>);
    });
  }
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      "Expected a JSON body (Content-Type: application/json)",
    );
  }
  let text: string;
  try {
    // JSON is UTF-8 (RFC 8259): invalid bytes are refused, not silently replaced.
    text = new TextDecoder("utf-8", { fatal: true }).decode(await c.req.arrayBuffer());
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    throw new HttpError(400, "invalid_encoding", "Request body is not valid UTF-8", {
      field: "body",
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "Request body is not valid JSON");
  }
}

/**
 * Validates `input` against `schema`, or throws a 400 naming the first bad
 * field (`body.username`, `query.limit`).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: string,
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.map(String).join(".");
  const field = path ? `${where}.${path}` : where;
  throw new HttpError(400, "invalid_request", `Invalid ${field}: ${issue.message}`, { field });
}
