import type { UserRole, UserRow, UsersRepository } from "../../core/db/mod.ts";
import type { RecordAudit } from "../../core/audit/mod.ts";
import { AccountError } from "./account_error.ts";

/** What {@linkcode addUser} creates, and who is recorded as doing it. */
export interface AddUserOptions {
  username: string;
  /** Already hashed (see hashPassword); the password itself never gets here. */
  passwordHash: string;
  role: UserRole;
  audit: RecordAudit;
}

/**
 * Creates an account (`POST /api/v1/users`, `decnet user add`) and records
 * `user.added` in the audit log, or a failed one when the name is taken.
 *
 * @param users the users repository
 * @param options name, password hash, role and the actor's audit recorder
 * @returns the new user row
 * @throws {AccountError} `exists` when the name is taken
 * @example
 * ```ts
 * import type { UsersRepository } from "../../core/db/mod.ts";
 * import type { RecordAudit } from "../../core/audit/mod.ts";
 * import { addUser } from "./add_user.ts";
 * import { hashPassword } from "./password_hash.ts";
 * declare const users: UsersRepository;
 * declare const audit: RecordAudit;
 * await addUser(users, { username: "vera", passwordHash: await hashPassword("a-long-passphrase"), role: "viewer", audit });
 * ```
 */
export async function addUser(
  users: Pick<UsersRepository, "findByUsername" | "create">,
  options: AddUserOptions,
): Promise<UserRow> {
  const { username, role, audit } = options;
  if (await users.findByUsername(username)) {
    await audit({
      action: "user.added",
      target: username,
      outcome: "failure",
      detail: { role, reason: "exists" },
    });
    throw new AccountError("exists", `Username already exists: ${username}`);
  }
  const row = await users.create({ username, passwordHash: options.passwordHash, role });
  await audit({ action: "user.added", target: username, outcome: "success", detail: { role } });
  return row;
}
