import { isContentClass } from "./content_class.ts";
import type { ContentClass } from "./content_class.ts";
import type { Persona } from "./persona.ts";

/** Whether a plan writes a new file or changes one already planted. */
export type PlanAction = "create" | "edit";

/** One thing to plant on a decky; immutable, snake_case as persisted. */
export interface Plan {
  readonly decky_uuid: string;
  readonly decky_name: string;
  readonly persona: Persona;
  readonly content_class: ContentClass;
  readonly action: PlanAction;
  readonly target_path: string;
  /** When the file should look last written (in the past, inside the persona's hours). */
  readonly mtime: Date;
  /** A topic for the body, when the planner chose one. */
  readonly body_hint?: string;
  /** The current body, for an edit. */
  readonly previous_body?: string;
  /** Why the planner chose this (for logs and the event row). */
  readonly notes: string;
}

/**
 * Builds a frozen {@linkcode Plan}, checking what makes it usable.
 *
 * @param fields every plan field
 * @returns the frozen plan
 * @throws {TypeError} when an edit has no previous body, the class is
 *   unknown, or the path is not absolute
 */
export function buildPlan(fields: Plan): Plan {
  if (!isContentClass(fields.content_class)) {
    throw new TypeError(
      `Cannot build plan: unknown content class, got "${String(fields.content_class)}"`,
    );
  }
  if (fields.action !== "create" && fields.action !== "edit") {
    throw new TypeError(`Cannot build plan: action must be create or edit, got "${fields.action}"`);
  }
  if (fields.action === "edit" && typeof fields.previous_body !== "string") {
    throw new TypeError(
      `Cannot build plan: an edit needs previous_body, got none for "${fields.target_path}"`,
    );
  }
  if (!fields.target_path.startsWith("/")) {
    throw new TypeError(
      `Cannot build plan: target_path must be absolute, got "${fields.target_path}"`,
    );
  }
  return Object.freeze({ ...fields, mtime: new Date(fields.mtime.getTime()) });
}
