import { auditRecorder, cliActor } from "../../core/audit/mod.ts";
import { changePassword } from "../../web/auth/mod.ts";
import { waitUntil } from "../infra/wait_until.ts";
import type { TestApp } from "./test_app.ts";

/**
 * Changes `username`'s password as `decnet user passwd` in another process
 * does: its recorder publishes `audit.user.password_changed` on the app's
 * bus (NATS in production). Resolves once the app's access cache is empty
 * (the caller watches the bus with `watchAccountChanges`).
 */
export async function changePasswordOnBus(t: TestApp, username: string): Promise<void> {
  const audit = auditRecorder(cliActor(), {
    audit: t.repos.audit,
    bus: t.deps.bus,
    log: t.deps.log,
  });
  await changePassword(t.repos.users, { username, passwordHash: "new-hash", audit });
  await waitUntil(() => t.deps.accessCache.size === 0, { what: "the cache cleared" });
}
