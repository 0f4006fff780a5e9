import { Command, Option } from "commander";
import { printLine } from "../core/log/mod.ts";
import { apiKeyView, createApiKey, revokeApiKey } from "../web/auth/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { formatTable } from "./format_table.ts";
import { withAuditedRepos } from "./with_audited_repos.ts";

const UUID_REGEXP = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `decnet api-key create|list|revoke`: read-only API keys for SIEM/SOAR pulls. */
export function apiKeyCommand(): Command {
  const apiKey = new Command("api-key").description(
    "Manage read-only API keys (GET requests only, as a viewer or with an admin's read access)",
  );

  apiKey.command("create")
    .description("Create a key and print it once (only its hash is stored)")
    .argument("<name>", "what the key is for (1-64 characters)")
    .addOption(
      new Option("--role <role>", "viewer, or admin-read (credential secrets included)")
        .choices(["viewer", "admin-read"]).makeOptionMandatory(),
    )
    .option("--expires-at <time>", "ISO 8601 time after which the key is refused")
    .option("--json", "print JSON (the key in `key`)")
    .action(
      async (
        name: string,
        options: { role: "viewer" | "admin-read"; expiresAt?: string; json?: boolean },
        command: Command,
      ) => {
        const now = new Date();
        const { row, key } = await withAuditedRepos(command, async ({ apiKeys }, audit) => {
          try {
            return await createApiKey(apiKeys, {
              name,
              role: options.role,
              expiresAt: options.expiresAt ?? null,
              createdBy: "cli",
              audit,
              now,
            });
          } catch (e) {
            if (!(e instanceof RangeError || e instanceof SyntaxError)) throw e;
            throw new CliError(e.message.replace("expires_at", "--expires-at"), EXIT_USAGE);
          }
        });
        if (options.json) return printLine(JSON.stringify({ ...apiKeyView(row, now), key }));
        printLine(`Created ${row.role} key ${row.name} (${row.uuid})`);
        printLine(key);
        printLine("Store it now: it is not shown again.");
      },
    );

  apiKey.command("list")
    .description("List keys (never the key itself)")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const now = new Date();
      const { items, total } = await withAuditedRepos(
        command,
        ({ apiKeys }) => apiKeys.list({ limit: 10_000, offset: 0 }),
      );
      const views = items.map((k) => apiKeyView(k, now));
      if (options.json) return printLine(JSON.stringify({ items: views, total }));
      const rows = views.map((k) => [
        k.uuid,
        k.name,
        k.role,
        k.state,
        k.key_prefix,
        k.expires_at ?? "-",
        k.last_used_at ?? "never",
      ]);
      for (
        const line of formatTable(
          ["ID", "NAME", "ROLE", "STATE", "PREFIX", "EXPIRES", "LAST USED"],
          rows,
        )
      ) printLine(line);
    });

  apiKey.command("revoke")
    .description("Revoke a key at once")
    .argument("<id>", "the key's id (see list)")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      if (!UUID_REGEXP.test(id)) {
        throw new CliError(
          `Bad key id "${id}": expected a UUID (see decnet api-key list)`,
          EXIT_USAGE,
        );
      }
      const row = await withAuditedRepos(
        command,
        ({ apiKeys }, audit) => revokeApiKey(apiKeys, { uuid: id, audit }),
      );
      if (!row) throw new CliError(`No such API key: ${id}`);
      if (options.json) return printLine(JSON.stringify(apiKeyView(row, new Date())));
      printLine(`Revoked ${row.name} (${row.uuid})`);
    });
  return apiKey;
}
