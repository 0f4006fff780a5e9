import type { UsersRepository } from "../../core/db/mod.ts";
import type { RecordAudit } from "../../core/audit/mod.ts";
import { quoteValue } from "../../core/log/mod.ts";
import { AccountError } from "./account_error.ts";

/**
 * Removes an account (`DELETE /api/v1/users/{name}`, `decnet user remove`),
 * never the last admin, and records `user.removed`.
 *
 * @param users the users repository
 * @param options the user name and the actor's audit recorder
 * @throws {AccountError} `not_found`, or `last_admin`
 * @example
 * ```ts
 * import type { UsersRepository } from "../../core/db/mod.ts";
 * import type { RecordAudit } from "../../core/audit/mod.ts";
 * import { removeUser } from "./remove_user.ts";
 * declare const users: UsersRepository;
 * declare const audit: RecordAudit;
 * await removeUser(users, { username: "vera", audit });
 * ```
 */
export async function removeUser(
  users: Pick<UsersRepository, "findByUsername" | "countAdmins" | "remove">,
  options: { username: string; audit: RecordAudit },
): Promise<void> {
  const { username, audit } = options;
  const user = await users.findByUsername(username);
  if (!user) throw new AccountError("not_found", `No such user: ${quoteValue(username)}`);
  if (user.role === "admin" && await users.countAdmins() <= 1) {
    await audit({
      action: "user.removed",
      target: username,
      outcome: "failure",
      detail: { reason: "last_admin" },
    });
    throw new AccountError("last_admin", "Cannot remove the last admin");
  }
  await users.remove(username);
  await audit({
    action: "user.removed",
    target: username,
    outcome: "success",
    detail: { role: user.role },
  });
}
