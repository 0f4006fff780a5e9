/**
 * Rewrites deploy/ from the renderer `decnet init` uses, so the committed
 * files never drift from the code (tests/deploy/deploy_files_test.ts checks):
 *
 *   deno run -A tools/render_deploy.ts
 */
import { DEFAULT_ENV_FILE, installFiles } from "../core/systemd/mod.ts";

/** Where a file `decnet init` installs (default options) is kept in the repository. */
export function deployPathFor(installPath: string): string {
  if (installPath.startsWith("/etc/systemd/system/")) {
    return `deploy/systemd/${installPath.slice("/etc/systemd/system/".length)}`;
  }
  if (installPath.startsWith("/etc/sysusers.d/")) {
    return `deploy/sysusers.d/${installPath.slice("/etc/sysusers.d/".length)}`;
  }
  if (installPath === DEFAULT_ENV_FILE) return "deploy/env.example";
  throw new RangeError(`Cannot map install path to deploy/: unknown, got "${installPath}"`);
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url);
  for (const file of installFiles()) {
    const target = new URL(deployPathFor(file.path), root);
    await Deno.mkdir(new URL("./", target), { recursive: true });
    await Deno.writeTextFile(target, file.content);
  }
}
