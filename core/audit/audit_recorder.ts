import type { Bus, JsonValue } from "../bus/mod.ts";
import { auditTopic } from "../bus/mod.ts";
import type { AuditRepository, AuditRow } from "../db/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { AuditAction } from "./audit_actions.ts";
import type { AuditActor } from "./audit_actor.ts";
import { auditView } from "./audit_view.ts";

/** One action to record: what, on what, how it ended, and details that hold no secret. */
export interface AuditEvent {
  action: AuditAction;
  target?: string | null;
  outcome: "success" | "failure";
  detail?: { [key: string]: JsonValue };
}

/**
 * Records one action for an actor already known (see
 * {@linkcode auditRecorder}). Never throws: the action it records has
 * already happened, so a failed write is logged, not reported as the
 * action's failure.
 */
export type RecordAudit = (event: AuditEvent) => Promise<void>;

/** Where {@linkcode auditRecorder} writes: the audit log, the bus (optional) and the log. */
export interface AuditRecorderDeps {
  audit: Pick<AuditRepository, "record">;
  /** Where `audit.<action>` goes once the entry is stored; none in one-shot commands without a bus. */
  bus?: Bus;
  log: Logger;
}

/**
 * Binds the audit log to one actor: the API builds one per request, a CLI
 * command one per run, and domain functions (user add, deploy, key
 * creation) call it so every way in records the same entry.
 *
 * @param actor who acts
 * @param deps the audit repository, bus and logger
 * @returns the recorder
 * @example
 * ```ts
 * import type { Repositories } from "../db/mod.ts";
 * import type { Logger } from "../log/mod.ts";
 * import { auditRecorder } from "./audit_recorder.ts";
 * import { cliActor } from "./cli_actor.ts";
 * declare const repos: Repositories;
 * declare const log: Logger;
 * const audit = auditRecorder(cliActor(), { audit: repos.audit, log });
 * await audit({ action: "user.added", target: "bob", outcome: "success", detail: { role: "viewer" } });
 * ```
 */
export function auditRecorder(actor: AuditActor, deps: AuditRecorderDeps): RecordAudit {
  return async (event) => {
    let row: AuditRow;
    try {
      row = await deps.audit.record({ ...actor, ...event });
    } catch (e) {
      deps.log.error("cannot record audit entry", {
        action: event.action,
        actor: actor.actor,
        target: event.target ?? null,
        error: e,
      });
      return;
    }
    // Published after the write committed: a subscriber can read the entry back.
    deps.bus?.publish(auditTopic(event.action), auditView(row));
  };
}
