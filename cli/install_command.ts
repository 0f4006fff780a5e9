import { dirname, join, relative, resolve } from "node:path";
import { Command } from "commander";
import { writeBackup } from "../core/backup/write_backup.ts";
import { loadConfig } from "../core/config/mod.ts";
import { parseDbUrl } from "../core/db/db_url.ts";
import { printLine } from "../core/log/mod.ts";
import type { InstallFile } from "../core/systemd/mod.ts";
import { DEFAULT_BINARY } from "../core/systemd/mod.ts";
import { VERSION } from "../core/version.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { createServiceUser } from "./create_service_user.ts";
import {
  describeInitResults,
  initFiles,
  ownInitFiles,
  printDryRun,
  writeInitFiles,
} from "./init_command.ts";
import { reloadSystemd } from "./reload_systemd.ts";
import { warmBundleCache } from "./warm_bundle_cache.ts";
import { etcEntry } from "./etc_entry.ts";
import { pathExists } from "./path_exists.ts";

/** Where `decnet install` puts the release folder (prefix not included). */
export const INSTALL_DIR = "/opt/decnet";

/** What an install copies from the release folder: bin/ and lib/ (bundle layout only) first. */
const RELEASE_ENTRIES = ["bin", "lib", "deploy", "LICENSE", "VERSION", "SHA256SUMS"];

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
      const version = await readVersion(source) ?? VERSION;
      const installed = await readVersion(target);
      if (installed !== undefined && compareVersions(installed, version) > 0) {
        throw new CliError(
          `${target} holds decnet ${installed}, newer than this release ${version}: ` +
            "it cannot read a database the newer version migrated. To go back, stop decnet, " +
            `run this release's install after \`decnet uninstall\`, then \`decnet restore --force\` ` +
            `the backup in ${join(options.prefix, UPGRADE_BACKUP_DIR)} taken before that upgrade`,
          EXIT_USAGE,
        );
      }
      const sysusersConf = files.find((f) => f.path.startsWith("/etc/sysusers.d/"))!.path;
      if (options.dryRun) {
        printLine(`copy     ${source} -> ${target}`);
        printLine(`link     ${link} -> ${target}/bin/decnet`);
        printDryRun(files);
        printLine(
          `run      systemd-sysusers --root=${options.prefix} ` +
            `${join(options.prefix, sysusersConf)} (as root; else useradd --system)`,
        );
        if (await pathExists(join(source, "lib/decnet.js"))) {
          printLine(
            `run      ${INSTALL_DIR}/lib/deno cache ${INSTALL_BUNDLE} (as ${options.user})`,
          );
        }
        return printLine("run      systemctl daemon-reload (as root, when systemd runs)");
      }
      const envFile = files.find((f) => !f.replace)!;
      await backupBeforeUpgrade(options.prefix, options.home, envFile, new Date());
      await copyRelease(source, target);
      await Deno.mkdir(dirname(link), { recursive: true });
      await removeIfPresent(link);
      // Relative, so the link also holds inside a staging root.
      await Deno.symlink(relative(dirname(DEFAULT_BINARY), `${INSTALL_DIR}/bin/decnet`), link);
      printLine(`copied   ${target}`);
      printLine(`linked   ${link}`);
      const results = await writeInitFiles(options.prefix, files);
      for (const line of describeInitResults(options.prefix, results)) printLine(line);
      printLine(await createServiceUser(options.prefix, { ...options, sysusersConf }));
      for (const line of await ownInitFiles(options.prefix, files, results)) printLine(line);
      const cached = await warmInstalledBundle(options.prefix, target, options);
      if (cached) printLine(cached);
      printLine(await reloadSystemd(options.prefix));
      printLine(`version  ${version}${installed === undefined ? "" : ` (was ${installed})`}`);
      printLine("Next:");
      printLine(
        `  $EDITOR ${envFile.path}   # DECNET_DB_URL, canary ports, DECNET_ADMIN_PASSWORD, ...`,
      );
      printLine(
        "  systemctl enable --now decnet.target   # or: decnet (all workers in one process)",
      );
      printLine(
        "  Without DECNET_ADMIN_PASSWORD the first admin's password is generated and printed once " +
          "on first start: journalctl -u decnet-api -u decnet",
      );
    });
}

/** The installed bundle's entry (bundle layout only; prefix not included). */
const INSTALL_BUNDLE = `${INSTALL_DIR}/lib/decnet.js`;

/**
 * Caches the installed bundle's module analysis for the service user
 * ({@linkcode warmBundleCache}), so its first start is as light as later
 * ones. Only on the host itself, as root: Deno keys its cache by the path the
 * service runs, which a staging prefix is not. Returns the line to print
 * ("" for the compiled layout, which has no bundle).
 */
async function warmInstalledBundle(
  prefix: string,
  target: string,
  options: { user: string; home: string },
): Promise<string> {
  if (!await pathExists(join(target, "lib/decnet.js"))) return "";
  const by = `HOME=${options.home} ${INSTALL_DIR}/lib/deno cache --no-config ${INSTALL_BUNDLE}`;
  const later = `the first start analyses the bundle and keeps ~100 MiB more until it restarts; ` +
    `as ${options.user}, ${by} avoids that`;
  const user = await etcEntry(prefix, "passwd", options.user);
  if (resolve(prefix) !== "/" || Deno.uid() !== 0 || !user) return `note     ${later}`;
  try {
    return await warmBundleCache({
      runtime: `${INSTALL_DIR}/lib/deno`,
      bundle: INSTALL_BUNDLE,
      home: options.home,
      uid: Number(user[2]),
      gid: Number(user[3]),
    });
  } catch (e) {
    // The install itself is done: only the first start will be heavier.
    return `note     ${e instanceof Error ? e.message : String(e)}; ${later}`;
  }
}

/** The VERSION file of a release folder (the archive's, or the installed one), if it has one. */
async function readVersion(dir: string): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(join(dir, "VERSION"))).trim();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** Compares two `x.y.z` versions by their numbers (a `-suffix` is not ordered): <0, 0, >0. */
function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split("-")[0].split(".").map(Number);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
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
 * first start: the database named by the installed env file (or an earlier
 * release's, not yet moved; default: SQLite in `home`), with DECNET_HOME, into
 * UPGRADE_BACKUP_DIR. Nothing to do on a first install.
 */
async function backupBeforeUpgrade(prefix: string, home: string, envFile: InstallFile, now: Date) {
  const paths = [envFile.path, ...(envFile.movedFrom ? [envFile.movedFrom] : [])];
  let text = "";
  for (const path of paths.reverse()) {
    try {
      text = await Deno.readTextFile(join(prefix, path));
    } catch (e) {
      // A first install has no env file yet: then every default applies.
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  const config = loadConfig({ DECNET_HOME: join(prefix, home) }, {
    envFile: join(prefix, envFile.path),
    readTextFile: () => text,
  });
  const db = parseDbUrl(config.dbUrl);
  if (db.engine === "sqlite" && !await Deno.stat(db.path).then(() => true, () => false)) return;
  const dir = join(prefix, UPGRADE_BACKUP_DIR);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `decnet-${now.toISOString().replace(/[:.]/g, "-")}.tar.gz`);
  await writeBackup({ db, home: config.home, blobDir: config.canaryBlobDir }, file, now);
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
