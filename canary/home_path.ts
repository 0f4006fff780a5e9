import type { ResolvedPersona } from "./resolve_persona.ts";

/**
 * A path under the persona's home: `~/a/b` on Linux (the planter resolves
 * `~`), `C:\Users\<login>\a\b` on Windows.
 *
 * @param persona the resolved persona
 * @param segments path segments below the home directory
 * @returns the placement path
 */
export function homePath(persona: ResolvedPersona, segments: readonly string[]): string {
  if (persona.os === "windows") return `C:\\Users\\${persona.login}\\${segments.join("\\")}`;
  return `~/${segments.join("/")}`;
}
