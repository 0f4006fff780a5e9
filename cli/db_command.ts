import { Command } from "commander";
import { migrateToLatest, migrationStatus, openDatabase, resetDatabase } from "../core/db/mod.ts";
import { printLine } from "../core/log/mod.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/** `decnet db migrate|status|reset`. */
export function dbCommand(): Command {
  const db = new Command("db").description("Manage the database schema");

  db.command("migrate")
    .description("Apply every pending migration")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      await using handle = await openDatabase(configFor(command).dbUrl);
      const result = await migrateToLatest(handle);
      if (options.json) printLine(JSON.stringify(result));
      else {
        for (const r of result.results) printLine(`${r.status.padEnd(12)} ${r.name}`);
        if (result.results.length === 0) printLine("Database is up to date");
      }
      if (result.error) throw new CliError(`Migration failed: ${result.error}`);
    });

  db.command("status")
    .description("List migrations and whether each is applied")
    .option("--json", "print the result as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      await using handle = await openDatabase(configFor(command).dbUrl);
      const rows = await migrationStatus(handle);
      if (options.json) return printLine(JSON.stringify({ items: rows, total: rows.length }));
      for (const r of rows) {
        printLine(`${r.applied ? "applied" : "pending"}  ${r.name}  ${r.executed_at ?? ""}`);
      }
    });

  db.command("reset")
    .description("Drop every table and migrate again (destroys all data)")
    .option("--i-know-what-im-doing", "confirm that all data will be lost")
    .action(async (options: { iKnowWhatImDoing?: boolean }, command: Command) => {
      if (!options.iKnowWhatImDoing) {
        throw new CliError(
          "Refusing to reset: this deletes every table; add --i-know-what-im-doing",
          EXIT_USAGE,
        );
      }
      await using handle = await openDatabase(configFor(command).dbUrl);
      await resetDatabase(handle);
      const result = await migrateToLatest(handle);
      if (result.error) throw new CliError(`Migration failed: ${result.error}`);
      printLine("Database reset and migrated");
    });
  return db;
}
