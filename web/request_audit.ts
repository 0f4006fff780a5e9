import type { Context } from "hono";
import { auditRecorder, type RecordAudit } from "../core/audit/mod.ts";
import type { AppDeps } from "./app_deps.ts";
import type { AppEnv } from "./app_env.ts";

/**
 * The audit recorder of one API request: the signed-in user and the
 * client's address (see requestClient), writing to the audit log and the bus.
 *
 * @param deps the app's repositories, bus and logger
 * @param c the request (after the auth guard)
 * @returns the recorder handlers pass to domain functions
 * @example
 * ```ts
 * import type { Context } from "hono";
 * import type { AppDeps } from "./app_deps.ts";
 * import type { AppEnv } from "./app_env.ts";
 * import { requestAudit } from "./request_audit.ts";
 * declare const deps: AppDeps;
 * declare const c: Context<AppEnv>;
 * await requestAudit(deps, c)({ action: "realism.config_changed", outcome: "success" });
 * ```
 */
export function requestAudit(
  deps: Pick<AppDeps, "repos" | "bus" | "log">,
  c: Context<AppEnv>,
): RecordAudit {
  return auditRecorder(
    { actor: c.get("user").username, actorKind: "user", clientIp: c.get("client")?.ip ?? null },
    { audit: deps.repos.audit, bus: deps.bus, log: deps.log },
  );
}
