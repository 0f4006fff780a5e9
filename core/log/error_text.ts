/**
 * One line describing a caught value for logs, event details and batch
 * results: the message, led by the error's class when it is a specific one
 * (`DockerUnreachableError: …`), since that names the failure's kind.
 *
 * @example
 * ```ts
 * import { errorText } from "./error_text.ts";
 * errorText(new RangeError("port out of range")); // "RangeError: port out of range"
 * errorText(new Error("boom")); // "boom"
 * errorText("plain"); // "plain"
 * ```
 */
export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.name === "Error" ? e.message : `${e.name}: ${e.message}`;
}
