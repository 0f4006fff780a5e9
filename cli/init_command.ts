import { basename, dirname, join } from "node:path";
import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { DEFAULT_BINARY, installFiles } from "../core/systemd/mod.ts";
import type { InstallFile, RenderUnitsOptions } from "../core/systemd/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

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
      if (options.json) return printLine(JSON.stringify({ items: results, total: results.length }));
      for (const r of results) printLine(`${r.status.padEnd(8)} ${join(options.prefix, r.path)}`);
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

/**
 * Writes `files` under `prefix`: units replaced, the operator's env file kept
 * when present. Returns what happened to each.
 *
 * @example
 * ```ts
 * const results = await writeInitFiles("/", initFiles({}));
 * ```
 */
export async function writeInitFiles(
  prefix: string,
  files: InstallFile[],
): Promise<{ path: string; status: "written" | "kept" }[]> {
  const results = [];
  for (const file of files) {
    results.push({ path: file.path, status: await writeInstallFile(prefix, file) });
  }
  return results;
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

async function writeInstallFile(
  prefix: string,
  file: InstallFile,
): Promise<"written" | "kept"> {
  const path = join(prefix, file.path);
  await Deno.mkdir(dirname(path), { recursive: true });
  if (!file.replace) {
    try {
      await Deno.writeTextFile(path, file.content, { createNew: true, mode: file.mode });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) return "kept";
      throw e;
    }
  } else {
    await Deno.writeTextFile(path, file.content, { mode: file.mode });
  }
  // `mode` applies only on creation and is masked by the umask: set it exactly.
  await Deno.chmod(path, file.mode);
  return "written";
}
