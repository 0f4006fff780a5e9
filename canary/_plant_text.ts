import { errorText } from "../core/log/mod.ts";
import { validatePlacementPath } from "./validate_placement_path.ts";

/** An exec's output as one short line of text for an error or a log. */
export function outputText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).trim().slice(0, 500);
}

/** Our own errors already say what failed ("Cannot …"); a library's gets the step in front. */
export function failureText(e: unknown, step: string): string {
  const text = errorText(e);
  return text.startsWith("Cannot ") ? text : `${step}: ${text}`;
}

/** A placement path a Linux container can take. */
export function linuxPath(path: string | null): string {
  if (path === null) throw new TypeError(`Cannot plant: the token has no placement path, got ""`);
  validatePlacementPath(path);
  if (!path.startsWith("/") && !path.startsWith("~/")) {
    throw new TypeError(
      `Cannot plant: a Windows path does not fit a Linux container, got ${JSON.stringify(path)}`,
    );
  }
  return path;
}
