import type { CanaryTokensTable } from "../core/db/mod.ts";
import type { DockerClient } from "../core/docker/mod.ts";
import { shellScript } from "../core/docker/mod.ts";
import { PLANT_SCRIPT, PLANT_TREE_SCRIPT } from "./_plant_scripts.ts";
import { linuxPath, outputText } from "./_plant_text.ts";
import { contextFromToken } from "./context_from_token.ts";
import type { Companions } from "./generators/artifact.ts";
import { plantedTime } from "./planted_time.ts";
import { resolvePersona } from "./resolve_persona.ts";

/** The bytes to plant and how the file should look. */
export interface PlantArtifact {
  bytes: Uint8Array;
  /** File mode, e.g. `0o600`. */
  mode: number;
  /** Pretended modification time (ISO 8601). */
  modifiedAt: string;
  /** Files planted with it (e.g. the rest of a git repository). */
  companions?: Companions;
}

/** What of a token decides where and as whom its file goes. */
export type PlantedToken = Pick<
  CanaryTokensTable,
  "callback_token" | "http_base" | "dns_zone" | "persona" | "created_at" | "placement_path"
>;

/** Options for {@linkcode plantArtifact}. */
export interface PlantArtifactOptions {
  token: PlantedToken;
  artifact: PlantArtifact;
  /** The decky's OS install date: no planted time goes before it (null: unknown). */
  installedAt: Date | null;
  now: Date;
  timeoutMs: number;
}

/**
 * Puts a canary's file (and its companions) into a container through
 * `core/docker` only: one exec with the bytes on stdin, parents created,
 * temp file moved into place, mode, the persona's owner and a backdated
 * mtime set; the path reaches the in-container script only as a positional
 * parameter. The part of planting that touches the decky, shared by the
 * {@linkcode Planter} and a swarm agent planting for its master.
 *
 * @param docker the decky's Docker
 * @param container the container (see plantContainer)
 * @returns the path as planted (`~/` expanded)
 * @throws {Error} "Cannot plant <path> in <container>: <stderr>" when the exec fails;
 *   {TypeError} when the token's path does not fit a Linux container
 * @example
 * ```ts
 * import type { DockerClient } from "../core/docker/mod.ts";
 * import { plantArtifact, type PlantedToken } from "./plant_artifact.ts";
 * declare const docker: DockerClient;
 * declare const token: PlantedToken;
 * const artifact = { bytes: new Uint8Array(), mode: 0o600, modifiedAt: "2026-03-02T09:14:00Z" };
 * await plantArtifact(docker, "ws-01-ssh", { token, artifact, installedAt: null, now: new Date(), timeoutMs: 30_000 });
 * ```
 */
export async function plantArtifact(
  docker: DockerClient,
  container: string,
  options: PlantArtifactOptions,
): Promise<{ path: string }> {
  const { token, artifact } = options;
  const path = linuxPath(token.placement_path);
  const login = resolvePersona(contextFromToken(token)).login;
  const stamp = (modifiedAt: string, file: string) =>
    plantedTime(modifiedAt, {
      installedAt: options.installedAt,
      now: options.now,
      seed: `${token.callback_token}:${file}`,
    });
  const exec = { user: "0", env: ["TZ=UTC"], timeoutMs: options.timeoutMs };
  const result = await docker.exec(
    container,
    shellScript(PLANT_SCRIPT, [
      path,
      login,
      octal(artifact.mode),
      stamp(artifact.modifiedAt, path),
      octal(directoryMode(artifact.mode)),
    ]),
    { ...exec, stdin: artifact.bytes },
  );
  let failed = result.exitCode === 0 ? null : result;
  const companions = artifact.companions;
  const root = companions && path.endsWith(`/${companions.anchor}`)
    ? path.slice(0, -companions.anchor.length - 1)
    : "";
  if (failed === null && companions && /^(\/|~\/)./.test(root)) {
    // Settle up to the directory the main plant found in place.
    const upto = outputText(result.stdout).split("\n")[1] ?? "";
    const args = [root, login, "0755", upto];
    for (const f of companions.files) {
      args.push(
        f.path,
        octal(f.mode),
        stamp(f.modifiedAt, `${root}/${f.path}`),
        base64(f.bytes),
      );
    }
    const tree = await docker.exec(container, shellScript(PLANT_TREE_SCRIPT, args), exec);
    if (tree.exitCode !== 0) failed = tree;
  }
  if (failed !== null) {
    throw new Error(
      `Cannot plant ${path} in ${container}: ${
        outputText(failed.stderr) || `exit code ${failed.exitCode}`
      }`,
    );
  }
  return { path: outputText(result.stdout).split("\n")[0] };
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

/** Parents of a private file are private too (e.g. `~/.aws`, `~/.ssh`). */
function directoryMode(mode: number): number {
  return (mode & 0o077) === 0 ? 0o700 : 0o755;
}

function base64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}
