import { CONFIG_VARIABLES, ENV_FILE_VARIABLE } from "../config/mod.ts";
import type { ConfigVariable } from "../config/mod.ts";
import { DEFAULT_ENV_FILE } from "./render_units.ts";

/**
 * Renders `env.example`: every variable decnet reads, documented, with its
 * default, commented out with an example value. systemd's EnvironmentFile=
 * and `decnet --env-file` both read this KEY=value format.
 *
 * @param variables the variables to list @default CONFIG_VARIABLES
 * @returns the file text
 */
export function renderEnvExample(
  variables: readonly ConfigVariable[] = CONFIG_VARIABLES,
): string {
  const out = [
    "# decnet settings: one KEY=value per line, `#` starts a comment, no quotes needed.",
    "# Read by the systemd units (EnvironmentFile=, as root) and by `decnet --env-file`.",
    "# Every variable is optional; remove the `#` before a line to set it.",
    "# Keep this file mode 0640, owner root, group of the service user: it may hold secrets.",
    "# The systemd units set DECNET_HOME themselves (`decnet init --home`).",
    "",
    `# Env file to read when not given by --env-file (default: ./.env.local).`,
    "# Not needed under systemd, whose units read this file themselves.",
    `#${ENV_FILE_VARIABLE}=${DEFAULT_ENV_FILE}`,
  ];
  for (const v of variables) {
    out.push("", `# ${v.doc}`);
    out.push(`# Default: ${v.defaultText}.${v.secret ? " Secret: masked and never logged." : ""}`);
    out.push(`#${v.name}=${v.example}`);
  }
  return out.join("\n") + "\n";
}
