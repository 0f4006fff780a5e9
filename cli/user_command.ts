import { Command, Option } from "commander";
import type { Repositories } from "../core/db/mod.ts";
import { printLine, quoteValue } from "../core/log/mod.ts";
import type { RecordAudit } from "../core/audit/mod.ts";
import {
  AccountError,
  addUser,
  changePassword,
  hashPassword,
  removeUser,
  validateUsername,
} from "../web/auth/mod.ts";
import { withAuditedRepos } from "./with_audited_repos.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { readSecret } from "./read_secret.ts";

/** {@linkcode withAuditedRepos}, with account errors as CLI errors. */
async function withRepos<T>(
  command: Command,
  fn: (repos: Repositories, audit: RecordAudit) => Promise<T>,
): Promise<T> {
  try {
    return await withAuditedRepos(command, fn);
  } catch (e) {
    if (e instanceof AccountError) throw new CliError(e.message);
    throw e;
  }
}

function checkUsername(name: string): string {
  try {
    return validateUsername(name);
  } catch (e) {
    throw new CliError(
      `Bad user name ${quoteValue(name)}: ${(e as SyntaxError).message}`,
      EXIT_USAGE,
    );
  }
}

/** `decnet user add|list|remove|passwd`. */
export function userCommand(): Command {
  const user = new Command("user").description("Manage dashboard and API accounts");

  user.command("add")
    .description(
      "Create an account; the password (12+ characters, valid UTF-8, not a common one) is read from stdin or --password-file",
    )
    .argument("<name>", "user name")
    .addOption(
      new Option("--role <role>", "admin or viewer").choices(["admin", "viewer"])
        .makeOptionMandatory(),
    )
    .option("--password-file <path>", "read the password from this file")
    .action(
      async (
        name: string,
        options: { role: "admin" | "viewer"; passwordFile?: string },
        command: Command,
      ) => {
        checkUsername(name);
        const password = await readSecret(options.passwordFile);
        await withRepos(command, async ({ users }, audit) => {
          await addUser(users, {
            username: name,
            passwordHash: await hashPassword(password),
            role: options.role,
            audit,
          });
        });
        printLine(`Created ${options.role} ${name}`);
      },
    );

  user.command("list")
    .description("List accounts")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const rows = await withRepos(command, ({ users }) => users.list());
      const items = rows.map((u) => ({
        username: u.username,
        role: u.role,
        created_at: u.created_at,
      }));
      if (options.json) return printLine(JSON.stringify({ items, total: items.length }));
      for (const u of items) {
        printLine(`${u.username.padEnd(24)} ${u.role.padEnd(8)} ${u.created_at}`);
      }
    });

  user.command("remove")
    .description("Remove an account (not the last admin)")
    .argument("<name>", "user name")
    .action(async (name: string, _options: unknown, command: Command) => {
      await withRepos(
        command,
        ({ users }, audit) => removeUser(users, { username: name, audit }),
      );
      printLine(`Removed ${name}`);
    });

  user.command("passwd")
    .description(
      "Set a new password (stdin or --password-file; same rules as add); existing tokens and live streams stop working",
    )
    .argument("<name>", "user name")
    .option("--password-file <path>", "read the password from this file")
    .action(async (name: string, options: { passwordFile?: string }, command: Command) => {
      const password = await readSecret(options.passwordFile);
      await withRepos(
        command,
        async ({ users }, audit) =>
          changePassword(users, {
            username: name,
            passwordHash: await hashPassword(password),
            audit,
          }),
      );
      printLine(`Password changed for ${name}`);
    });
  return user;
}
