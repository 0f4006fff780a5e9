import type { Persona, PlannerDecky } from "../../realism/mod.ts";
import { parsePersonas } from "../../realism/mod.ts";

/** A valid persona; override any field. */
export function makePersona(overrides: Partial<Persona> = {}): Persona {
  return {
    name: "Ana Lopez",
    email: "ana.lopez@example.com",
    role: "Site Reliability Engineer",
    tone: "technical",
    mannerisms: ["cites ticket numbers"],
    language: "en",
    active_hours: "09:00-17:00",
    reply_latency: "10m-2h",
    uses_llms_heavily: false,
    ...overrides,
  };
}

/** The shipped example personas (deploy/personas.example.json), parsed. */
export async function examplePersonas(): Promise<Persona[]> {
  const text = await Deno.readTextFile(
    new URL("../../deploy/personas.example.json", import.meta.url),
  );
  return parsePersonas(JSON.parse(text)).personas;
}

/** `n` deckies each carrying `perDecky` personas drawn round-robin from `pool`. */
export function makeDeckies(pool: readonly Persona[], n: number, perDecky = 2): PlannerDecky[] {
  return Array.from({ length: n }, (_, i) => ({
    uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    name: `ws-${String(i + 1).padStart(2, "0")}`,
    personas: Array.from({ length: perDecky }, (_, j) => pool[(i + j) % pool.length]),
  }));
}
