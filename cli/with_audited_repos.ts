import type { Command } from "commander";
import type { RecordAudit } from "../core/audit/mod.ts";
import { createRepositories, openMigratedDatabase } from "../core/db/mod.ts";
import type { Repositories } from "../core/db/mod.ts";
import { configFor } from "./cli_context.ts";
import { openCliAudit } from "./open_cli_audit.ts";

/**
 * Runs `fn` with the migrated database's repositories and the command's
 * audit recorder, closing both (audit first, database last) when it ends.
 *
 * @param command the running command, whose options give the configuration
 * @param fn what the command does with them
 * @returns what `fn` returns
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { withAuditedRepos } from "./with_audited_repos.ts";
 * declare const command: Command;
 * const ada = await withAuditedRepos(command, (repos) => repos.users.findByUsername("ada"));
 * ```
 */
export async function withAuditedRepos<T>(
  command: Command,
  fn: (repos: Repositories, audit: RecordAudit) => Promise<T>,
): Promise<T> {
  const config = configFor(command);
  await using handle = await openMigratedDatabase(config.dbUrl);
  const repos = createRepositories(handle);
  await using audit = await openCliAudit(config, repos);
  return await fn(repos, audit.record);
}
