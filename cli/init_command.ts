import { basename, dirname, join } from "node:path";
import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { DEFAULT_BINARY, installFiles } from "../core/systemd/mod.ts";
import type { InstallFile, RenderUnitsOptions } from "../core/systemd/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { etcEntry } from "./etc_entry.ts";

interface InitOptions {
  prefix: string;
  user?: string;
  home?: string;
  binary?: string;
  dryRun?: boolean;
  json?: boolean;
}

/**
 * The decnet executable for ExecStart: this process when it runs as the
 * compiled binary, else the usual install path (under `deno run`,
 * `Deno.execPath()` is deno itself).
 */
export function defaultUnitBinary(execPath: string): string {
  return /^deno(\.exe)?$/.test(basename(execPath)) ? DEFAULT_BINARY : execPath;
}

/** `decnet init`: renders the systemd units and env file and installs them under a prefix. */
export function initCommand(): Command {
  return new Command("init")
    .description("Install systemd units, the service user entry and an env file")
    .option("--prefix <dir>", "root to install under (a staging root for images or tests)", "/")
    .option("--user <name>", "dedicated service user", "decnet")
    .option("--home <dir>", "DECNET_HOME of the service, its only writable path", "/var/lib/decnet")
    .option(
      "--binary <path>",
      `decnet executable for ExecStart (default: this executable when compiled, else ${DEFAULT_BINARY})`,
    )
    .option("--dry-run", "print the files instead of writing them")
    .option("--json", "print the result as JSON")
    .action(async (options: InitOptions) => {
      const binary = options.binary ?? defaultUnitBinary(Deno.execPath());
      const files = initFiles({ binary, user: options.user, home: options.home });
      if (options.dryRun) return printDryRun(files, options.json);
      const results = await writeInitFiles(options.prefix, files);
      const owners = await ownInitFiles(options.prefix, files, results);
      if (options.json) return printLine(JSON.stringify({ items: results, total: results.length }));
      for (const line of describeInitResults(options.prefix, results)) printLine(line);
      for (const line of owners) printLine(line);
      printLine(
        "Next: systemd-sysusers && systemctl daemon-reload && systemctl enable --now decnet",
      );
      printLine("  (or: systemctl enable --now decnet.target, for one service per worker)");
    });
}

/**
 * The files `decnet init` (and `decnet install`) write, or a usage error
 * naming the bad option.
 *
 * @example
 * ```ts
 * const files = initFiles({ binary: "/usr/local/bin/decnet", user: "decnet" });
 * ```
 */
export function initFiles(options: RenderUnitsOptions): InstallFile[] {
  try {
    return installFiles(options);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    throw new CliError(e.message, EXIT_USAGE, { cause: e });
  }
}

/** What {@linkcode writeInitFiles} did with one file. */
export interface InitFileResult {
  path: string;
  /** `moved`: an earlier release's file (`from`) now lives at `path`, unchanged. */
  status: "written" | "kept" | "moved";
  /** `moved`: where it was; `kept`: an earlier release's file left beside it, no longer read. */
  from?: string;
}

/**
 * Writes `files` under `prefix`: units replaced, the operator's env file kept
 * when present (or moved from an earlier release's path, never lost). Returns
 * what happened to each.
 *
 * @example
 * ```ts
 * const results = await writeInitFiles("/", initFiles({}));
 * ```
 */
export async function writeInitFiles(
  prefix: string,
  files: InstallFile[],
): Promise<InitFileResult[]> {
  const results = [];
  for (const file of files) results.push(await writeInstallFile(prefix, file));
  return results;
}

/** The lines `decnet init` and `decnet install` print for what {@linkcode writeInitFiles} did. */
export function describeInitResults(prefix: string, results: InitFileResult[]): string[] {
  return results.map((r) => {
    const path = join(prefix, r.path);
    if (r.status === "moved") return `moved    ${join(prefix, r.from!)} -> ${path}`;
    const line = `${r.status.padEnd(8)} ${path}`;
    return r.from === undefined ? line : `${line} (${join(prefix, r.from)} is no longer read: ` +
      `merge what it sets into ${path}, then remove it)`;
  });
}

/**
 * As root, gives each written or moved file that names a group to root and
 * that group (looked up in the prefix's /etc/group), so the service user can
 * read the env file. Returns a line per file, saying what was done or why not.
 */
export async function ownInitFiles(
  prefix: string,
  files: InstallFile[],
  results: InitFileResult[],
): Promise<string[]> {
  const lines = [];
  for (const [i, file] of files.entries()) {
    if (file.group === undefined || results[i].status === "kept") continue;
    const path = join(prefix, file.path);
    const entry = await etcEntry(prefix, "group", file.group);
    if (Deno.uid() !== 0 || entry === null) {
      lines.push(
        `note     ${path}: run as root once group ${file.group} exists: ` +
          `chown root:${file.group} ${path}`,
      );
      continue;
    }
    await Deno.chown(path, 0, Number(entry[2]));
    lines.push(`owner    root:${file.group} ${path}`);
  }
  return lines;
}

/** Prints `files` with their modes (the `--dry-run` of init and install). */
export function printDryRun(files: InstallFile[], json?: boolean): void {
  if (json) {
    const items = files.map((f) => ({ path: f.path, mode: modeText(f.mode), content: f.content }));
    return printLine(JSON.stringify({ items, total: items.length }));
  }
  for (const file of files) {
    printLine(`### ${file.path} (mode ${modeText(file.mode)})`);
    printLine(file.content);
  }
}

function modeText(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}

async function writeInstallFile(prefix: string, file: InstallFile): Promise<InitFileResult> {
  const path = join(prefix, file.path);
  await Deno.mkdir(dirname(path), { recursive: true });
  if (file.replace) {
    await Deno.writeTextFile(path, file.content, { mode: file.mode });
  } else {
    const legacy = file.movedFrom === undefined ? undefined : join(prefix, file.movedFrom);
    const legacyExists = legacy !== undefined && await exists(legacy);
    if (await exists(path)) {
      return { path: file.path, status: "kept", ...(legacyExists ? { from: file.movedFrom } : {}) };
    }
    if (legacyExists) {
      // A rename keeps every setting, and the file is never absent at both paths.
      await Deno.rename(legacy!, path);
      await Deno.chmod(path, file.mode);
      return { path: file.path, status: "moved", from: file.movedFrom };
    }
    try {
      await Deno.writeTextFile(path, file.content, { createNew: true, mode: file.mode });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) return { path: file.path, status: "kept" };
      throw e;
    }
  }
  // `mode` applies only on creation and is masked by the umask: set it exactly.
  await Deno.chmod(path, file.mode);
  return { path: file.path, status: "written" };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
