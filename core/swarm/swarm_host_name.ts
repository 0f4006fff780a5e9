/** A swarm host's name: one DNS label in lower case, so it is also one NATS subject token. */
export const SWARM_HOST_NAME_REGEXP = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks a swarm host's name (`decnet swarm enroll NAME`): 1-63 lowercase
 * letters, digits or inner dashes. It becomes a token of the host's NATS
 * subjects (`decnet.agent.<name>.>`), so no dot, wildcard or space may pass.
 *
 * @returns the name
 * @throws {SyntaxError} naming what was expected
 * @example
 * ```ts
 * import { parseSwarmHostName } from "./swarm_host_name.ts";
 * parseSwarmHostName("dmz-1"); // "dmz-1"
 * ```
 */
export function parseSwarmHostName(raw: string): string {
  if (!SWARM_HOST_NAME_REGEXP.test(raw)) {
    throw new SyntaxError(
      `Bad host name "${
        raw.slice(0, 80)
      }": expected 1-63 lowercase letters, digits or dashes (not first or last)`,
    );
  }
  return raw;
}
