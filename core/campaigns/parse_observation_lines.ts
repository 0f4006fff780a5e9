import type { Observation } from "./observation.ts";
import { parseObservation } from "./parse_observation.ts";

/**
 * Reads JSON lines of observations (blank lines skipped), naming the line
 * of the first bad one.
 *
 * @throws {SyntaxError} when a line is not JSON: `Line 3: ...`
 * @throws {TypeError} when a line breaks the contract: `Line 3: ja3[0]: expected a string, got 5`
 * @example
 * ```ts
 * parseObservationLines('{"ip":"192.0.2.1"}\n\n{"ip":"192.0.2.2"}\n').length; // 2
 * ```
 */
export function parseObservationLines(text: string): Observation[] {
  const observations: Observation[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new SyntaxError(`Line ${i + 1}: not JSON: ${(e as Error).message}`, { cause: e });
    }
    try {
      observations.push(parseObservation(value));
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      throw new TypeError(`Line ${i + 1}: ${e.message}`, { cause: e });
    }
  });
  return observations;
}
