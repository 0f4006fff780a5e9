import { dirname } from "node:path";
import type { Persona } from "./persona.ts";

/** Options for {@linkcode writePersonaPool}. */
export interface WritePersonaPoolOptions {
  /** File mode. @default 0o640 */
  mode?: number;
}

/**
 * Writes a persona pool file atomically: a temporary file in the same
 * directory, then a rename over the target, so readers see the old pool or
 * the new one, never half a file.
 *
 * @param path the pool file
 * @param personas validated personas (see parsePersonas)
 * @throws {Deno.errors.PermissionDenied} when the directory is not writable
 * @example
 * ```ts
 * import type { Persona } from "./persona.ts";
 * import { writePersonaPool } from "./write_persona_pool.ts";
 * declare const personas: Persona[];
 * await writePersonaPool("/etc/decnet/email_personas.json", personas);
 * ```
 */
export async function writePersonaPool(
  path: string,
  personas: readonly Persona[],
  options: WritePersonaPoolOptions = {},
): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(tmp, `${JSON.stringify(personas, null, 2)}\n`, {
      mode: options.mode ?? 0o640,
    });
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}
