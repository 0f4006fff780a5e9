import { join } from "node:path";
import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { DEFAULT_BINARY } from "../core/systemd/mod.ts";
import { initFiles } from "./init_command.ts";
import { INSTALL_DIR, UPGRADE_BACKUP_DIR } from "./install_command.ts";
import { reloadSystemd } from "./reload_systemd.ts";

interface UninstallOptions {
  prefix: string;
  user: string;
  home: string;
  purge?: boolean;
}

/**
 * `decnet uninstall`: removes what `decnet install` put there; the env file
 * and DECNET_HOME (the data) stay unless `--purge`.
 */
export function uninstallCommand(): Command {
  return new Command("uninstall")
    .description(
      "Remove what install put there (stop decnet first: systemctl disable --now decnet " +
        "decnet.target), keeping the env file and data unless --purge",
    )
    .option("--prefix <dir>", "root it was installed under", "/")
    .option("--user <name>", "service user given to install", "decnet")
    .option("--home <dir>", "DECNET_HOME given to install", "/var/lib/decnet")
    .option("--purge", "also remove the env file and DECNET_HOME (every token, event and secret)")
    .action(async (options: UninstallOptions) => {
      const files = initFiles({ binary: DEFAULT_BINARY, user: options.user, home: options.home });
      const paths = [
        DEFAULT_BINARY,
        INSTALL_DIR,
        ...files.filter((f) => f.replace || options.purge).map((f) => f.path),
        ...(options.purge ? files.flatMap((f) => f.movedFrom ?? []) : []),
        ...(options.purge ? [options.home] : []),
      ];
      for (const path of paths) {
        const full = join(options.prefix, path);
        try {
          await Deno.remove(full, { recursive: true });
          printLine(`removed  ${full}`);
        } catch (e) {
          if (!(e instanceof Deno.errors.NotFound)) throw e;
        }
      }
      const kept = options.purge ? [] : [files.find((f) => !f.replace)!.path, options.home];
      for (const path of [...kept, UPGRADE_BACKUP_DIR]) {
        printLine(`kept     ${join(options.prefix, path)}`);
      }
      printLine(await reloadSystemd(options.prefix));
      printLine(
        "The service user stays (its id may own files); remove it with userdel if you wish",
      );
    });
}
