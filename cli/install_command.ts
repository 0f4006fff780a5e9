import { dirname, join, relative } from "node:path";
import { Command } from "commander";
import { writeBackup } from "../core/backup/write_backup.ts";
import { loadConfig } from "../core/config/mod.ts";
import { parseDbUrl } from "../core/db/db_url.ts";
import { printLine } from "../core/log/mod.ts";
import { DEFAULT_BINARY } from "../core/systemd/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { initFiles, printDryRun, writeInitFiles } from "./init_command.ts";

/** Where `decnet install` puts the release folder (prefix not included). */
export const INSTALL_DIR = "/opt/decnet";

/** What an install copies from the release folder: bin/ and lib/ (bundle layout only) first. */
const RELEASE_ENTRIES = ["bin", "lib", "deploy", "LICENSE", "SHA256SUMS"];

interface InstallOptions {
  prefix: string;
  user: string;
  home: string;
  from?: string;
  dryRun?: boolean;
}

/**
 * The unpacked release folder this process runs from: the launcher runs
 * `<release>/lib/deno`, the compiled layout is `<release>/bin/decnet`, so
 * either way two levels above the executable.
 *
 * @example
 * ```ts
 * releaseRoot("/tmp/decnet-0.1.0-linux-x64/lib/deno"); // "/tmp/decnet-0.1.0-linux-x64"
 * ```
 */
export function releaseRoot(execPath: string): string {
  return dirname(dirname(execPath));
}

/**
 * `decnet install`: copies the unpacked release onto the host (INSTALL_DIR,
 * linked from /usr/local/bin/decnet), then writes what `decnet init` writes.
 */
export function installCommand(): Command {
  return new Command("install")
    .description(
      `Install this unpacked release archive: ${INSTALL_DIR}, ${DEFAULT_BINARY}, then what init writes`,
    )
    .option("--prefix <dir>", "root to install under (a staging root for images or tests)", "/")
    .option("--user <name>", "dedicated service user", "decnet")
    .option("--home <dir>", "DECNET_HOME of the service, its only writable path", "/var/lib/decnet")
    .option("--from <dir>", "unpacked release folder (default: the one this decnet runs from)")
    .option("--dry-run", "print what would be copied and written instead of doing it")
    .action(async (options: InstallOptions) => {
      const source = options.from ?? releaseRoot(Deno.execPath());
      await checkRelease(source);
      const files = initFiles({ binary: DEFAULT_BINARY, user: options.user, home: options.home });
      const target = join(options.prefix, INSTALL_DIR);
      const link = join(options.prefix, DEFAULT_BINARY);
      if (options.dryRun) {
        printLine(`copy     ${source} -> ${target}`);
        printLine(`link     ${link} -> ${target}/bin/decnet`);
        return printDryRun(files);
      }
      const envFile = files.find((f) => !f.replace)!.path;
      await backupBeforeUpgrade(options.prefix, options.home, envFile, new Date());
      await copyRelease(source, target);
      await Deno.mkdir(dirname(link), { recursive: true });
      await removeIfPresent(link);
      // Relative, so the link also holds inside a staging root.
      await Deno.symlink(relative(dirname(DEFAULT_BINARY), `${INSTALL_DIR}/bin/decnet`), link);
      printLine(`copied   ${target}`);
      printLine(`linked   ${link}`);
      for (const r of await writeInitFiles(options.prefix, files)) {
        printLine(`${r.status.padEnd(8)} ${join(options.prefix, r.path)}`);
      }
      printLine("Next:");
      printLine(`  $EDITOR ${envFile}   # DECNET_DB_URL, canary ports, DECNET_ADMIN_PASSWORD, ...`);
      printLine("  systemd-sysusers && systemctl daemon-reload");
      printLine(
        "  systemctl enable --now decnet.target   # or: decnet (all workers in one process)",
      );
      printLine(
        "  Without DECNET_ADMIN_PASSWORD the first admin's password is generated and printed once " +
          "on first start: journalctl -u decnet-api -u decnet",
      );
    });
}

async function checkRelease(source: string): Promise<void> {
  for (const entry of ["bin/decnet", "SHA256SUMS"]) {
    try {
      await Deno.stat(join(source, entry));
    } catch {
      throw new CliError(
        `--from ${source} is not an unpacked release archive (no ${entry}); ` +
          "run install as bin/decnet of the unpacked decnet-<version>-linux-x64.tar.gz",
        EXIT_USAGE,
      );
    }
  }
}

/** Where install puts the backup it takes before replacing a release (prefix not included). */
export const UPGRADE_BACKUP_DIR = "/var/backups/decnet";

/**
 * Before an upgrade replaces the program, backs up the data it will migrate on its
 * first start: the database named by the installed env file (default: the one in
 * `home`), with DECNET_HOME, into UPGRADE_BACKUP_DIR. Nothing to do on a first install.
 */
async function backupBeforeUpgrade(prefix: string, home: string, envFile: string, now: Date) {
  const config = loadConfig({ DECNET_HOME: join(prefix, home) }, {
    envFile: join(prefix, envFile),
    // A first install has no env file yet: then every default applies.
    readTextFile: (path) => {
      try {
        return Deno.readTextFileSync(path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return "";
        throw e;
      }
    },
  });
  const target = parseDbUrl(config.dbUrl);
  if (target.engine !== "sqlite") {
    printLine(
      "note     a MySQL/MariaDB database is not backed up by install: take a mysqldump now",
    );
    return;
  }
  if (!await Deno.stat(target.path).then(() => true, () => false)) return;
  const dir = join(prefix, UPGRADE_BACKUP_DIR);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `decnet-${now.toISOString().replace(/[:.]/g, "-")}.tar.gz`);
  const sources = { dbPath: target.path, home: config.home, blobDir: config.canaryBlobDir };
  await writeBackup(sources, file, now);
  printLine(`backup   ${file} (decnet restore FILE brings it back)`);
}

/** Copies the release into `target` through a sibling folder, so an upgrade replaces it whole. */
async function copyRelease(source: string, target: string): Promise<void> {
  const staging = `${target}.new`;
  await removeIfPresent(staging);
  await Deno.mkdir(staging, { recursive: true });
  for (const entry of RELEASE_ENTRIES) {
    const from = join(source, entry);
    try {
      await Deno.stat(from);
    } catch {
      continue; // lib/ exists only in the bundle layout
    }
    await copyTree(from, join(staging, entry));
  }
  await removeIfPresent(target);
  await Deno.rename(staging, target);
}

/** Copies a file or folder; Deno.copyFile keeps each file's mode (the executables). */
async function copyTree(from: string, to: string): Promise<void> {
  if (!(await Deno.stat(from)).isDirectory) return await Deno.copyFile(from, to);
  await Deno.mkdir(to);
  for await (const entry of Deno.readDir(from)) {
    await copyTree(join(from, entry.name), join(to, entry.name));
  }
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
