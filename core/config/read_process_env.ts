/**
 * The process environment as a plain object: the one place that calls
 * `Deno.env`, so everything else receives its environment as a value.
 */
export function readProcessEnv(): Record<string, string> {
  return Deno.env.toObject();
}
