/**
 * The audit log of operator actions: who (a user, or `cli` with the OS
 * account), what, when, on what and with what outcome. Domain functions
 * take a {@linkcode RecordAudit} bound to the actor; each entry is stored
 * through the AuditRepository, then published as `audit.<action>`.
 *
 * @module
 */
export { AUDIT_ACTIONS, isAuditAction } from "./audit_actions.ts";
export type { AuditAction } from "./audit_actions.ts";
export type { AuditActor } from "./audit_actor.ts";
export { cliActor } from "./cli_actor.ts";
export { auditView } from "./audit_view.ts";
export { auditRecorder } from "./audit_recorder.ts";
export type { AuditEvent, AuditRecorderDeps, RecordAudit } from "./audit_recorder.ts";
