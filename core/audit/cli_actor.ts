import { userInfo } from "node:os";
import type { AuditActor } from "./audit_actor.ts";

/**
 * The actor of a command run on this host: `cli`, with the operating-system
 * account that ran it (its uid when the account has no name).
 *
 * @returns the actor
 * @example
 * ```ts
 * cliActor(); // { actor: "cli", actorKind: "cli", osUser: "root" }
 * ```
 */
export function cliActor(): AuditActor {
  let osUser: string;
  try {
    osUser = userInfo().username;
  } catch {
    // No passwd entry for this uid (containers): the number still says who.
    osUser = `uid:${Deno.uid() ?? "unknown"}`;
  }
  return { actor: "cli", actorKind: "cli", osUser };
}
