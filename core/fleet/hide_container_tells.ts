import type { DockerClient } from "../docker/mod.ts";
import { shellScript } from "../docker/mod.ts";

/** Options for {@linkcode hideContainerTells}. */
export interface HideContainerTellsOptions {
  /** New text of /etc/hosts; unchanged when absent. */
  hosts?: string;
  /** New text of /etc/resolv.conf; unchanged when absent. */
  resolvConf?: string;
}

// /etc/hosts and /etc/resolv.conf are bind mounts: they are rewritten in place
// (`>`), never replaced (a rename onto a mount point fails). Docker leaves a
// resolv.conf that was edited alone; /.dockerenv is only recreated when the
// container is created, so its removal (a whiteout in the container's layer)
// outlives restarts; /etc/hosts is rebuilt on each start.
const SCRIPT = `rm -f /.dockerenv || exit 1
if [ -n "$1" ]; then printf '%s' "$1" > /etc/hosts || exit 1; fi
if [ -n "$2" ]; then printf '%s' "$2" > /etc/resolv.conf || exit 1; fi
exit 0`;

/**
 * Removes what marks a running container as one from the inside, as root:
 * `/.dockerenv`, and rewrites /etc/hosts and /etc/resolv.conf when given (a
 * service container joined to a base shares the base's files). Needs `sh` and
 * `rm` in the image.
 *
 * @param docker The Docker client.
 * @param container Name or id of a running container.
 * @param options The files' new text.
 * @throws {Error} naming the container when the script fails (e.g. no shell)
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/mod.ts";
 * import { debianResolvConf } from "./debian_resolv_conf.ts";
 * import { hideContainerTells } from "./hide_container_tells.ts";
 * declare const docker: DockerClient;
 * await hideContainerTells(docker, "ws-01", { resolvConf: debianResolvConf(["10.0.0.53"]) });
 * ```
 */
export async function hideContainerTells(
  docker: DockerClient,
  container: string,
  options: HideContainerTellsOptions = {},
): Promise<void> {
  const argv = shellScript(SCRIPT, [options.hosts ?? "", options.resolvConf ?? ""]);
  const r = await docker.exec(container, argv, { user: "0" });
  if (r.exitCode !== 0) {
    const stderr = new TextDecoder().decode(r.stderr).trim().slice(0, 200);
    throw new Error(
      `Cannot hide container tells in ${container}: exit ${r.exitCode}, got "${stderr}"`,
    );
  }
}
