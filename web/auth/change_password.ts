import type { UsersRepository } from "../../core/db/mod.ts";
import type { RecordAudit } from "../../core/audit/mod.ts";
import { quoteValue } from "../../core/log/mod.ts";
import { AccountError } from "./account_error.ts";

/**
 * Sets a user's new password (`decnet user passwd`): tokens issued before
 * now stop working. Records `user.password_changed` (never the password).
 *
 * @param users the users repository
 * @param options the user name, the new hash and the actor's audit recorder
 * @throws {AccountError} `not_found`
 * @example
 * ```ts
 * import type { UsersRepository } from "../../core/db/mod.ts";
 * import type { RecordAudit } from "../../core/audit/mod.ts";
 * import { changePassword } from "./change_password.ts";
 * declare const users: UsersRepository;
 * declare const audit: RecordAudit;
 * declare const passwordHash: string;
 * await changePassword(users, { username: "vera", passwordHash, audit });
 * ```
 */
export async function changePassword(
  users: Pick<UsersRepository, "setPassword">,
  options: { username: string; passwordHash: string; audit: RecordAudit },
): Promise<void> {
  const { username, audit } = options;
  if (!await users.setPassword(username, options.passwordHash)) {
    throw new AccountError("not_found", `No such user: ${quoteValue(username)}`);
  }
  await audit({ action: "user.password_changed", target: username, outcome: "success" });
}
