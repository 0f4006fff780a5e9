import { renderEnvExample } from "./render_env_example.ts";
import {
  DEFAULT_ENV_FILE,
  DEFAULT_SERVICE_HOME,
  DEFAULT_SERVICE_USER,
  LEGACY_ENV_FILE,
  renderUnits,
} from "./render_units.ts";
import type { RenderUnitsOptions } from "./render_units.ts";

/** One file `decnet init` writes. */
export interface InstallFile {
  /** Absolute path on the target system (prefix not included). */
  path: string;
  mode: number;
  content: string;
  /** false: an existing file is kept (the operator's env file). */
  replace: boolean;
  /** Owned by root and this group (the service user's) when written as root. */
  group?: string;
  /** An earlier release's path of the file: moved here, content and all, when only it exists. */
  movedFrom?: string;
}

/** Where the rendered units go. */
export const SYSTEMD_UNIT_DIR = "/etc/systemd/system";

/**
 * Every file of an install: the systemd units, a sysusers.d entry that
 * creates the service user, and the env file (from env.example, kept if present;
 * mode 0640, root and the service user's group).
 *
 * @throws {TypeError} when an option is not valid (see {@linkcode renderUnits})
 */
export function installFiles(options: RenderUnitsOptions = {}): InstallFile[] {
  const user = options.user ?? DEFAULT_SERVICE_USER;
  const home = options.home ?? DEFAULT_SERVICE_HOME;
  const envFile = options.envFile ?? DEFAULT_ENV_FILE;
  const units = renderUnits(options).map((unit) => ({
    path: `${SYSTEMD_UNIT_DIR}/${unit.name}`,
    mode: 0o644,
    content: unit.content,
    replace: true,
  }));
  return [
    ...units,
    {
      path: `/etc/sysusers.d/${user}.conf`,
      mode: 0o644,
      content: `# Service user of decnet (apply with: systemd-sysusers)\n` +
        `u ${user} - "decnet control plane" ${home} /usr/sbin/nologin\n`,
      replace: true,
    },
    {
      path: envFile,
      mode: 0o640,
      content: renderEnvExample(),
      replace: false,
      group: user,
      ...(envFile === DEFAULT_ENV_FILE ? { movedFrom: LEGACY_ENV_FILE } : {}),
    },
  ];
}
