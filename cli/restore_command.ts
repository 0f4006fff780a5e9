import { dirname, join, normalize } from "node:path";
import { Command } from "commander";
import { checkSha256Sums } from "../core/backup/sha256_sums.ts";
import { readTar } from "../core/backup/tar_archive.ts";
import { printLine } from "../core/log/mod.ts";
import { sqlitePath } from "./backup_command.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

interface RestoreOptions {
  force?: boolean;
}

/**
 * `decnet restore FILE`: checks every checksum of a `decnet backup`, then writes
 * the database, DECNET_HOME's files and the blobs back. Run it with decnet stopped.
 */
export function restoreCommand(): Command {
  return new Command("restore")
    .description("Restore a backup written by `decnet backup` (run it with decnet stopped)")
    .argument("<file>", "backup file (.tar.gz)")
    .option("--force", "replace an existing database")
    .action(async (file: string, options: RestoreOptions, command: Command) => {
      const config = configFor(command);
      const dbPath = sqlitePath(config.dbUrl);
      let entries;
      try {
        const tar = new Uint8Array(
          await new Response(
            (await Deno.open(file)).readable.pipeThrough(new DecompressionStream("gzip")),
          ).arrayBuffer(),
        );
        entries = readTar(tar);
        const sums = entries.find((e) => e.path === "SHA256SUMS");
        if (!sums) throw new Error("no SHA256SUMS");
        await checkSha256Sums(
          entries.filter((e) => e !== sums),
          new TextDecoder().decode(sums.data),
        );
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) throw e;
        throw new CliError(
          `backup file ${file} is not a valid decnet backup: ${(e as Error).message}`,
          EXIT_USAGE,
          {
            cause: e,
          },
        );
      }
      const exists = await Deno.stat(dbPath).then(() => true, () => false);
      if (exists && !options.force) {
        throw new CliError(
          `a database already exists at ${dbPath}; pass --force to replace it`,
          EXIT_USAGE,
        );
      }
      const roots: Record<string, string> = { home: config.home, blobs: config.canaryBlobDir };
      let written = 0;
      for (const entry of entries) {
        if (entry.path === "SHA256SUMS") continue;
        const [top, ...rest] = entry.path.split("/");
        const relative = normalize(rest.join("/"));
        let target: string;
        if (entry.path === "decnet.db") target = dbPath;
        else if (roots[top] && relative !== "." && !relative.startsWith("..")) {
          target = join(roots[top], relative);
        } else throw new CliError(`backup entry ${entry.path}: unexpected path`, EXIT_USAGE);
        await Deno.mkdir(dirname(target), { recursive: true, mode: 0o700 });
        await Deno.writeFile(target, entry.data, { mode: entry.mode });
        await Deno.chmod(target, entry.mode & 0o7777);
        written++;
      }
      // A stale write-ahead log next to the restored database would be replayed into it.
      for (const s of ["-wal", "-shm"]) {
        await Deno.remove(`${dbPath}${s}`).catch((e) => {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        });
      }
      printLine(
        `Restored ${written} files from ${file}; start decnet to apply any newer migrations`,
      );
    });
}
