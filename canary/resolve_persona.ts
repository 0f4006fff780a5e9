import type { CanaryContext, CanaryPersona } from "./canary_context.ts";
import { SlugRandom } from "./slug_random.ts";

/** A persona with login and display name always present. */
export interface ResolvedPersona extends CanaryPersona {
  login: string;
  name: string;
}

const FIRST = [
  "James",
  "Maria",
  "David",
  "Sarah",
  "Michael",
  "Laura",
  "Daniel",
  "Emma",
  "Thomas",
  "Anna",
  "Robert",
  "Julia",
  "Peter",
  "Claire",
  "Mark",
  "Helen",
  "Paul",
  "Sofia",
  "Kevin",
  "Nina",
] as const;
const LAST = [
  "Walker",
  "Bennett",
  "Hughes",
  "Fischer",
  "Morgan",
  "Keller",
  "Novak",
  "Reyes",
  "Carter",
  "Lindqvist",
  "Brooks",
  "Meyer",
  "Turner",
  "Santos",
  "Howard",
  "Kowalski",
  "Price",
  "Weber",
] as const;

/**
 * Fills in the persona's login and display name where the context lacks
 * them, from the slug (so the result is stable per token).
 *
 * @param context the artifact context
 * @returns the persona with login and name
 */
export function resolvePersona(context: CanaryContext): ResolvedPersona {
  const { persona } = context;
  const rng = new SlugRandom(context.slug, "persona");
  const name = persona.name?.trim() || `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
  const parts = name.toLowerCase().replace(/[^a-z ]/g, "").split(/\s+/).filter(Boolean);
  const derived = parts.length >= 2
    ? `${parts[0][0]}${parts[parts.length - 1]}`
    : parts[0] ?? "admin";
  return { ...persona, login: persona.login?.trim() || derived, name };
}
