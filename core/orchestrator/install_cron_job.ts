import { shellScript } from "../docker/mod.ts";
import type { DockerClient } from "../docker/mod.ts";

/** Options for {@linkcode installCronJob}. */
export interface InstallCronJobOptions {
  /** The user whose crontab gets the job (the exec runs as that user). */
  login: string;
  /** Script path relative to the home. */
  relPath: string;
  script: string;
  /** The crontab line. */
  line: string;
  /** @default 20000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What happened: installed, or already in the crontab (nothing changed). */
export interface InstallCronJobResult {
  ok: boolean;
  installed: boolean;
  exitCode: number;
  stderr: string;
}

// As the user: the script (0755, hers) and the line through the decky's own
// `crontab`, which writes the spool file with cron's owner and mode and tells
// cron to reload. A script already scheduled is left alone.
// $1 relative script path, $2 crontab line; the script on stdin.
const INSTALL_SCRIPT =
  `command -v crontab >/dev/null 2>&1 || { echo "no crontab command" >&2; exit 127; }
cd || exit 3
if crontab -l 2>/dev/null | grep -qF -- "$HOME/$1"; then echo present; exit 0; fi
mkdir -p "$(dirname "$1")" || exit 3
cat > "$1" && chmod 755 "$1" || exit 3
{ crontab -l 2>/dev/null; printf '%s\\n' "$2"; } | crontab - || exit 3
echo installed
`;

/**
 * Installs a user's cron job on a decky with its own `crontab` command, so
 * the decky's real cron runs it and logs it.
 *
 * @param docker the Docker client
 * @param container container name or id
 * @param options the user, the script and its crontab line
 * @returns whether it was installed (false when the job was already there)
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import { installCronJob } from "./install_cron_job.ts";
 * declare const docker: DockerClient;
 * const script = "#!/bin/sh\ntar czf ~/backup.tgz ~/notes\n";
 * const line = "15 2 * * * /home/ana/bin/x.sh";
 * await installCronJob(docker, "ws-01-ssh", { login: "ana", relPath: "bin/x.sh", script, line });
 * ```
 */
export async function installCronJob(
  docker: DockerClient,
  container: string,
  options: InstallCronJobOptions,
): Promise<InstallCronJobResult> {
  const r = await docker.exec(
    container,
    shellScript(INSTALL_SCRIPT, [options.relPath, options.line]),
    {
      user: options.login,
      stdin: options.script,
      timeoutMs: options.timeoutMs ?? 20_000,
      signal: options.signal,
    },
  );
  return {
    ok: r.exitCode === 0,
    installed: new TextDecoder().decode(r.stdout).includes("installed"),
    exitCode: r.exitCode,
    stderr: new TextDecoder().decode(r.stderr).trim().slice(0, 2000),
  };
}
