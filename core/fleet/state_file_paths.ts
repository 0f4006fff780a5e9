import { join } from "node:path";

/** File name of the state file inside DECNET_HOME. */
export const STATE_FILE_NAME = "decnet-state.json";
/** Directory inside DECNET_HOME where replacements are written before the rename. */
export const STATE_TMP_DIR_NAME = ".state-tmp";

/**
 * Where the state file and its temporary replacements live under `home`
 * (light on imports: worker definitions use it to declare permissions).
 */
export function stateFilePaths(home: string): { path: string; tmpDir: string } {
  return { path: join(home, STATE_FILE_NAME), tmpDir: join(home, STATE_TMP_DIR_NAME) };
}
