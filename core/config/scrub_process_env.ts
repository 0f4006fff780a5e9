/**
 * Removes every DECNET_* variable from this process's environment, once the
 * configuration holds them: workers that must be given environment access
 * (their Docker client enumerates it) then find no secret there.
 *
 * @returns the names removed
 */
export function scrubProcessEnv(): string[] {
  const removed = Object.keys(Deno.env.toObject()).filter((k) => k.startsWith("DECNET_"));
  for (const name of removed) Deno.env.delete(name);
  return removed;
}
