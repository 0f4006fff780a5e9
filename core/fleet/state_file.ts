import { join } from "node:path";
import { DECKY_STATES, type DeckyState, type FleetDecky } from "../db/mod.ts";
import { deckyView } from "./decky_view.ts";
import { stateFilePaths } from "./state_file_paths.ts";

/**
 * One decky as the state file records it: the fleet row without the host
 * (the file is this host's) or the row's own timestamps. `images` maps each
 * service, plus `base` for the base container, to its image.
 */
export type StateDecky = Omit<FleetDecky, "hostUuid" | "createdAt" | "updatedAt">;

// Serialises read-modify-write cycles per path within this process.
const locks = new Map<string, Promise<unknown>>();

/**
 * The fleet's state file (`DECNET_HOME/decnet-state.json`): the deckies this
 * host deployed. Every write replaces it atomically (temporary file, fsync,
 * rename), so a crash leaves either the old or the new file, never half.
 *
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * declare const config: Config;
 * const file = new StateFile(config.home, config.hostUuid);
 * await file.update((deckies) => deckies.filter((d) => d.name !== "ws-01"), new Date());
 * ```
 */
export class StateFile {
  readonly path: string;
  readonly #tmpDir: string;
  readonly #hostUuid: string;

  constructor(home: string, hostUuid: string) {
    const paths = stateFilePaths(home);
    this.path = paths.path;
    this.#tmpDir = paths.tmpDir;
    this.#hostUuid = hostUuid;
  }

  /**
   * The recorded deckies, by name; empty when there is no file yet.
   * @throws {SyntaxError} when the file is not a state file
   */
  async read(): Promise<StateDecky[]> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return [];
      throw e;
    }
    return parseStateDocument(text, this.path);
  }

  /** Applies `change` to the recorded deckies and replaces the file; returns the new list. */
  update(
    change: (deckies: StateDecky[]) => StateDecky[],
    now: Date,
  ): Promise<StateDecky[]> {
    const previous = locks.get(this.path) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(async () => {
      const deckies = change(await this.read());
      await this.#write(deckies, now);
      return deckies;
    });
    locks.set(this.path, next);
    next.finally(() => {
      if (locks.get(this.path) === next) locks.delete(this.path);
    }).catch(() => {});
    return next;
  }

  async #write(deckies: StateDecky[], now: Date): Promise<void> {
    const sorted = [...deckies].sort((a, b) => a.name.localeCompare(b.name));
    const document = {
      version: 1,
      host_uuid: this.#hostUuid,
      updated_at: now.toISOString(),
      // The wire view without what the file says once (its host) or implies (source fleet).
      deckies: sorted.map((d) => {
        const { host_uuid: _host, source: _source, ...entry } = deckyView({
          ...d,
          hostUuid: this.#hostUuid,
        });
        return entry;
      }),
    };
    await Deno.mkdir(this.#tmpDir, { recursive: true, mode: 0o700 });
    const tmp = join(this.#tmpDir, `${crypto.randomUUID()}.json`);
    const file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o600 });
    try {
      try {
        await file.write(new TextEncoder().encode(JSON.stringify(document, null, 2) + "\n"));
        await file.sync();
      } finally {
        file.close();
      }
      await Deno.rename(tmp, this.path);
    } catch (e) {
      await Deno.remove(tmp).catch(() => {});
      throw e;
    }
  }
}

function parseStateDocument(text: string, path: string): StateDecky[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`Cannot read state file: not JSON, got "${path}"`, { cause: e });
  }
  const deckies = (doc as { deckies?: unknown })?.deckies;
  if (!Array.isArray(deckies)) {
    throw new SyntaxError(`Cannot read state file: expected a "deckies" array, got "${path}"`);
  }
  return deckies.map((raw, i): StateDecky => {
    const d = raw as Record<string, unknown>;
    const state = String(d.state ?? "pending") as DeckyState;
    if (typeof d.name !== "string" || typeof d.uuid !== "string" || !DECKY_STATES.includes(state)) {
      throw new SyntaxError(
        `Cannot read state file: decky ${i} needs name, uuid and a known state, got "${
          JSON.stringify(raw)
        }"`,
      );
    }
    return {
      name: d.name,
      uuid: d.uuid,
      ip: typeof d.ip === "string" ? d.ip : null,
      services: Array.isArray(d.services) ? d.services.map(String) : [],
      images: (d.images && typeof d.images === "object" ? d.images : {}) as Record<string, string>,
      network: typeof d.network === "string" ? d.network : null,
      networkDriver: typeof d.network_driver === "string" ? d.network_driver : null,
      osPersona: typeof d.os_persona === "string" ? d.os_persona : "linux",
      state,
      stateSince: typeof d.state_since === "string" ? d.state_since : new Date(0).toISOString(),
    };
  });
}
