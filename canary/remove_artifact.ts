import type { DockerClient } from "../core/docker/mod.ts";
import { shellScript } from "../core/docker/mod.ts";
import { REMOVE_SCRIPT } from "./_plant_scripts.ts";
import { linuxPath, outputText } from "./_plant_text.ts";
import { contextFromToken } from "./context_from_token.ts";
import type { PlantedToken } from "./plant_artifact.ts";
import { resolvePersona } from "./resolve_persona.ts";

/**
 * Takes a planted canary's file out of its container again (one exec, the
 * path as a positional parameter): the revoking half of
 * {@linkcode plantArtifact}, shared by the Planter and a swarm agent.
 *
 * @param docker the decky's Docker
 * @param container the container it was planted in
 * @throws {Error} "Cannot remove <path> from <container>: <stderr>" when the exec fails
 * @example
 * ```ts
 * import type { DockerClient } from "../core/docker/mod.ts";
 * import type { PlantedToken } from "./plant_artifact.ts";
 * import { removeArtifact } from "./remove_artifact.ts";
 * declare const docker: DockerClient;
 * declare const token: PlantedToken;
 * await removeArtifact(docker, "ws-01-ssh", { token, timeoutMs: 30_000 });
 * ```
 */
export async function removeArtifact(
  docker: DockerClient,
  container: string,
  options: { token: PlantedToken; timeoutMs: number },
): Promise<void> {
  const path = linuxPath(options.token.placement_path);
  const login = resolvePersona(contextFromToken(options.token)).login;
  const result = await docker.exec(container, shellScript(REMOVE_SCRIPT, [path, login]), {
    user: "0",
    timeoutMs: options.timeoutMs,
  });
  if (result.exitCode !== 0) {
    throw new Error(
      `Cannot remove ${path} from ${container}: ${
        outputText(result.stderr) || `exit code ${result.exitCode}`
      }`,
    );
  }
}
