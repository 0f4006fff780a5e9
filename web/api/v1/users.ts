import { z } from "zod";
import type { UserRow } from "../../../core/db/mod.ts";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";
import { hashPassword } from "../../auth/password_hash.ts";
import { validateUsername } from "../../auth/username.ts";
import { AccountError } from "../../auth/account_error.ts";
import { addUser } from "../../auth/add_user.ts";
import { removeUser } from "../../auth/remove_user.ts";
import { sessionsChanged } from "../../auth/sessions_changed.ts";
import { requestAudit } from "../../request_audit.ts";
import { zodRule } from "../../zod_rule.ts";
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordProblem,
} from "../../../core/password_policy/mod.ts";

const Username = zodRule(validateUsername, 64);

const CreateUser = z.object({
  username: Username,
  // min/max also document the limits in the OpenAPI schema; the policy says the rest.
  password: z.string()
    .min(MIN_PASSWORD_LENGTH, `expected at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(MAX_PASSWORD_LENGTH, `expected at most ${MAX_PASSWORD_LENGTH} characters`)
    .superRefine((password, ctx) => {
      const problem = passwordProblem(password);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    }),
  role: z.enum(["admin", "viewer"]),
}).strict();

/** The wire shape of a user (never the hash). */
export function userView(u: UserRow): Record<string, string> {
  return {
    uuid: u.uuid,
    username: u.username,
    role: u.role,
    created_at: u.created_at,
    updated_at: u.updated_at,
  };
}

/** `/api/v1/users` (admin): list, create and remove accounts. */
export function usersRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/users", guard);

  router.route({ method: "get", path: "/", summary: "List users", access: "admin" }, async (c) => {
    const items = (await deps.repos.users.list()).map(userView);
    return c.json({ items, total: items.length });
  });

  router.route({
    method: "post",
    path: "/",
    summary: "Create a user",
    access: "admin",
    body: CreateUser,
    responses: { 201: "Created", 400: "Invalid body", 409: "Username taken" },
  }, async (c, { body }) => {
    let row: UserRow;
    try {
      row = await addUser(deps.repos.users, {
        username: body.username,
        passwordHash: await hashPassword(body.password),
        role: body.role,
        audit: requestAudit(deps, c),
      });
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      throw new HttpError(409, "conflict", e.message, { field: "body.username" });
    }
    deps.log.info("user created", {
      by: c.get("user").username,
      username: row.username,
      role: row.role,
    });
    return c.json(userView(row), 201);
  });

  router.route({
    method: "delete",
    path: "/:username",
    summary: "Remove a user (not the last admin)",
    access: "admin",
    params: z.object({ username: Username }),
    responses: { 204: "Removed", 400: "Not a user name", 404: "No such user", 409: "Last admin" },
  }, async (c, { params: { username } }) => {
    try {
      await removeUser(deps.repos.users, { username, audit: requestAudit(deps, c) });
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      if (e.code === "not_found") {
        throw new HttpError(404, "not_found", e.message, { field: "path.username" });
      }
      throw new HttpError(409, "last_admin", e.message);
    }
    sessionsChanged(deps);
    deps.log.info("user removed", { by: c.get("user").username, username });
    return c.body(null, 204);
  });

  return router;
}
