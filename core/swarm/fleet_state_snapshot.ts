import type { JsonValue } from "../bus/mod.ts";
import { DECKY_STATES, type DeckyState } from "../db/mod.ts";
import type { StateDecky } from "../fleet/state_file.ts";
import type { AgentEvent } from "./agent_event.ts";

/** Kind of the agent event carrying the whole of an agent's fleet (its state file). */
export const FLEET_STATE_KIND = "fleet_state";

/**
 * The `fleet_state` event of an agent's deckies at `at`: every decky of its
 * state file (name, uuid, state, ip, services, images, network, persona).
 * The id is the sha256 of the content and the time, so publishing the same
 * snapshot again is one event for JetStream; the master keeps the newest
 * `at` (a snapshot is whole, an older one adds nothing).
 *
 * @example
 * ```ts
 * import { fleetStateEvent } from "./fleet_state_snapshot.ts";
 * const event = await fleetStateEvent([], new Date("2026-12-01T10:00:00Z"));
 * event.kind; // "fleet_state"
 * ```
 */
export async function fleetStateEvent(deckies: StateDecky[], at: Date): Promise<AgentEvent> {
  const fields: { [key: string]: JsonValue } = {
    deckies: [...deckies].sort((a, b) => a.name.localeCompare(b.name)).map((d) => ({
      name: d.name,
      uuid: d.uuid,
      state: d.state,
      state_since: d.stateSince,
      ip: d.ip,
      services: d.services,
      images: d.images,
      network: d.network,
      network_driver: d.networkDriver,
      os_persona: d.osPersona,
    })),
  };
  const iso = at.toISOString();
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${iso}\n${JSON.stringify(fields)}`),
  );
  const id = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { id, kind: FLEET_STATE_KIND, at: iso, fields };
}

/**
 * Reads the deckies of a `fleet_state` event's fields, as the master
 * receives them.
 *
 * @throws {TypeError} naming the bad field and its value
 * @example
 * ```ts
 * import { parseFleetState } from "./fleet_state_snapshot.ts";
 * parseFleetState({ deckies: [] }); // []
 * ```
 */
export function parseFleetState(fields: { [key: string]: JsonValue }): StateDecky[] {
  const list = fields.deckies;
  if (!Array.isArray(list)) throw new TypeError("Bad fleet state: deckies must be a list");
  const seen = new Set<string>();
  return list.map((raw, i): StateDecky => {
    const bad = (field: string, value: unknown) =>
      new TypeError(`Bad fleet state: deckies[${i}].${field} is ${JSON.stringify(value) ?? value}`);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw new TypeError(`Bad fleet state: deckies[${i}] must be an object`);
    }
    const d = raw as { [key: string]: JsonValue };
    const text = (field: string, nullable: boolean): string | null => {
      const value = d[field];
      if (typeof value === "string" && value.length > 0 && value.length <= 255) return value;
      if (nullable && (value === null || value === undefined)) return null;
      throw bad(field, value);
    };
    const name = text("name", false)!;
    if (seen.has(name)) throw bad("name", name);
    seen.add(name);
    const state = d.state;
    if (typeof state !== "string" || !(DECKY_STATES as readonly string[]).includes(state)) {
      throw bad("state", state);
    }
    const services = d.services;
    if (!Array.isArray(services) || !services.every((s) => typeof s === "string")) {
      throw bad("services", services);
    }
    const images = d.images;
    if (
      images === null || typeof images !== "object" || Array.isArray(images) ||
      !Object.values(images).every((v) => typeof v === "string")
    ) throw bad("images", images);
    const stateSince = text("state_since", false)!;
    if (Number.isNaN(Date.parse(stateSince))) throw bad("state_since", stateSince);
    return {
      name,
      uuid: text("uuid", false)!,
      state: state as DeckyState,
      stateSince,
      ip: text("ip", true),
      services: services as string[],
      images: images as Record<string, string>,
      network: text("network", true),
      networkDriver: text("network_driver", true),
      osPersona: text("os_persona", false)!,
    };
  });
}
