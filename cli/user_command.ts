import { Command, Option } from "commander";
import { createRepositories, openMigratedDatabase } from "../core/db/mod.ts";
import type { Repositories } from "../core/db/mod.ts";
import { printLine, quoteValue } from "../core/log/mod.ts";
import { hashPassword, validateUsername } from "../web/auth/mod.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { readSecret } from "./read_secret.ts";

async function withRepos<T>(command: Command, fn: (repos: Repositories) => Promise<T>): Promise<T> {
  await using handle = await openMigratedDatabase(configFor(command).dbUrl);
  return await fn(createRepositories(handle));
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
        await withRepos(command, async ({ users }) => {
          if (await users.findByUsername(name)) throw new CliError(`User already exists: ${name}`);
          await users.create({
            username: name,
            passwordHash: await hashPassword(password),
            role: options.role,
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
      await withRepos(command, async ({ users }) => {
        const row = await users.findByUsername(name);
        if (!row) throw new CliError(`No such user: ${name}`);
        if (row.role === "admin" && await users.countAdmins() <= 1) {
          throw new CliError("Cannot remove the last admin");
        }
        await users.remove(name);
      });
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
      const changed = await withRepos(
        command,
        async ({ users }) => users.setPassword(name, await hashPassword(password)),
      );
      if (!changed) throw new CliError(`No such user: ${name}`);
      printLine(`Password changed for ${name}`);
    });
  return user;
}
