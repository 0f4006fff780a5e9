/** The system-wide persona pool file. */
export const SYSTEM_PERSONAS_PATH = "/etc/decnet/email_personas.json";

/** Options for {@linkcode personaPoolPaths}. */
export interface PersonaPoolPathsOptions {
  /** DECNET_REALISM_PERSONAS (config.realismPersonas); when set, it is the only path. */
  configuredPath?: string | null;
  /** The user's home directory, for ~/.decnet/email_personas.json (omit in workers: they have no environment). */
  homeDir?: string | null;
}

/**
 * Where the persona pool lives, in search order: DECNET_REALISM_PERSONAS
 * alone when set, else /etc/decnet/email_personas.json, then
 * ~/.decnet/email_personas.json when a home directory is given. Readers take
 * the first that exists; the API and workers, with no home directory, get
 * exactly one path.
 *
 * @example
 * ```ts
 * personaPoolPaths({ configuredPath: null, homeDir: "/home/ana" });
 * // ["/etc/decnet/email_personas.json", "/home/ana/.decnet/email_personas.json"]
 * ```
 */
export function personaPoolPaths(options: PersonaPoolPathsOptions): string[] {
  if (options.configuredPath) return [options.configuredPath];
  return [
    SYSTEM_PERSONAS_PATH,
    ...(options.homeDir ? [`${options.homeDir}/.decnet/email_personas.json`] : []),
  ];
}
