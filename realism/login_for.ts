import type { Persona } from "./persona.ts";

/**
 * The Unix login a persona would have: the e-mail's local part, else the
 * name, reduced to lower-case ASCII letters and digits (max 16); "user"
 * when nothing is left.
 *
 * @example
 * ```ts
 * import type { Persona } from "./persona.ts";
 * declare const persona: Persona;
 * loginFor({ ...persona, email: "ana.lopez@example.com" }); // "analopez"
 * ```
 */
export function loginFor(persona: Pick<Persona, "email" | "name">): string {
  for (const source of [persona.email.split("@")[0], persona.name]) {
    const login = source.normalize("NFD").toLowerCase().replace(/[^a-z0-9]/g, "").replace(
      /^\d+/,
      "",
    ).slice(0, 16);
    if (login !== "") return login;
  }
  return "user";
}
