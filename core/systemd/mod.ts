/**
 * Install artefacts for systemd hosts, rendered from code so they are
 * embedded in the single binary: hardened units (all-in-one and per
 * worker), a target, a sysusers.d entry and `env.example`. `decnet init`
 * writes them; deploy/ holds the default rendering.
 *
 * @module
 */
export {
  DEFAULT_BINARY,
  DEFAULT_ENV_FILE,
  DEFAULT_SERVICE_HOME,
  DEFAULT_SERVICE_USER,
  LEGACY_ENV_FILE,
  renderUnits,
} from "./render_units.ts";
export type { RenderedUnit, RenderUnitsOptions } from "./render_units.ts";
export { renderEnvExample } from "./render_env_example.ts";
export { installFiles, SYSTEMD_UNIT_DIR } from "./install_files.ts";
export type { InstallFile } from "./install_files.ts";
