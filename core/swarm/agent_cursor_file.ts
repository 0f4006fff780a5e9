import { join } from "node:path";
import type { JsonValue } from "../bus/mod.ts";
import type { AgentEvent } from "./agent_event.ts";
import { writePrivateFile } from "./write_private_file.ts";

/** What an agent keeps per journal: how far JetStream has it, and the batch on its way. */
export interface AgentCursorState {
  /** Everything before it is in JetStream; null before the first batch. */
  cursor: JsonValue | null;
  /** The batch published from `cursor` whose acknowledgement is not recorded yet. */
  pending: { from: JsonValue; to: JsonValue; event: AgentEvent } | null;
}

const NAME_REGEXP = /[^A-Za-z0-9@._-]/g;

/**
 * An agent's cursors, one small JSON file per journal (or sensor container)
 * under `dir`, each replaced atomically, so a crash leaves the old state or
 * the new one, never half.
 *
 * @example
 * ```ts
 * import { AgentCursorFile } from "./agent_cursor_file.ts";
 * const cursors = new AgentCursorFile("/var/lib/decnet/swarm/cursors");
 * const { cursor } = await cursors.read("canary");
 * ```
 */
export class AgentCursorFile {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The state of `key`; an empty one when never written. */
  async read(key: string): Promise<AgentCursorState> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.#path(key));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return { cursor: null, pending: null };
      throw e;
    }
    let value: Partial<AgentCursorState>;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new SyntaxError(`Cannot read agent cursor ${this.#path(key)}: expected JSON`, {
        cause: e,
      });
    }
    return { cursor: value.cursor ?? null, pending: value.pending ?? null };
  }

  async write(key: string, state: AgentCursorState): Promise<void> {
    await writePrivateFile(this.#path(key), JSON.stringify(state) + "\n");
  }

  #path(key: string): string {
    return join(this.#dir, `${key.replace(NAME_REGEXP, "_")}.json`);
  }
}
