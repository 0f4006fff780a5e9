import { ConfigError } from "../../core/config/config_error.ts";
import type { UsersRepository } from "../../core/db/mod.ts";
import { passwordProblem } from "../../core/password_policy/mod.ts";
import { hashPassword } from "./password_hash.ts";

/** What {@linkcode ensureFirstAdmin} did. */
export type FirstAdminResult =
  | { created: false }
  | { created: true; username: string; generatedPassword: string | null };

/**
 * Creates the first admin when there is no user at all: with the given
 * password (DECNET_ADMIN_PASSWORD), else a generated one the caller prints
 * once. No default credentials exist. The given password must pass the
 * password policy; once users exist it is ignored, unchecked.
 *
 * @throws {ConfigError} naming DECNET_ADMIN_PASSWORD (never its value) when
 *   the first admin would get a password the policy refuses; the CLI exits 2
 *
 * @example
 * ```ts
 * import type { Repositories } from "../../core/db/repositories.ts";
 * import { printLine } from "../../core/log/print.ts";
 * import { ensureFirstAdmin } from "./ensure_first_admin.ts";
 * declare const repos: Repositories;
 * const r = await ensureFirstAdmin(repos.users, { username: "admin", password: null });
 * if (r.created && r.generatedPassword) printLine(`password: ${r.generatedPassword}`);
 * ```
 */
export async function ensureFirstAdmin(
  users: UsersRepository,
  options: { username: string; password: string | null },
): Promise<FirstAdminResult> {
  if (await users.count() > 0) return { created: false };
  const problem = options.password === null ? null : passwordProblem(options.password);
  if (problem !== null) {
    throw new ConfigError([{
      variable: "DECNET_ADMIN_PASSWORD",
      message: `Cannot create the first admin from DECNET_ADMIN_PASSWORD: ${problem}, got (hidden)`,
    }]);
  }
  const generated = options.password === null ? generatePassword() : null;
  const password = options.password ?? generated!;
  try {
    await users.create({
      username: options.username,
      passwordHash: await hashPassword(password),
      role: "admin",
    });
  } catch (e) {
    // Another worker created it first (unique username): nothing more to do.
    if (await users.count() > 0) return { created: false };
    throw e;
  }
  return { created: true, username: options.username, generatedPassword: generated };
}

/** 20 characters from an unambiguous alphabet (~115 bits). */
export function generatePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  const out: string[] = [];
  const bytes = new Uint8Array(1);
  while (out.length < 20) {
    crypto.getRandomValues(bytes);
    if (bytes[0] < alphabet.length * 4) out.push(alphabet[bytes[0] % alphabet.length]);
  }
  return out.join("");
}
