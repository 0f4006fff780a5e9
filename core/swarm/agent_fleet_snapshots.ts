import type { StateDecky } from "../fleet/state_file.ts";
import type { Logger } from "../log/mod.ts";
import type { AgentEvent } from "./agent_event.ts";
import { fleetStateEvent } from "./fleet_state_snapshot.ts";

/** Options of {@linkcode AgentFleetSnapshots}. */
export interface AgentFleetSnapshotsOptions {
  /** This host's deckies now (its state file, which the agent's reconciler keeps). */
  read(): Promise<StateDecky[]>;
  /** Sends one event to the master (JetStream); throws when it is not stored. */
  publish(event: AgentEvent): Promise<void>;
  now(): Date;
  log: Logger;
  /** Pause between two looks at the deckies. */
  pollMs: number;
  /** A snapshot is sent at least this often even when nothing changed. */
  refreshMs: number;
}

/**
 * Sends the master this agent's whole fleet as `fleet_state` snapshots:
 * when the deckies differ from the last snapshot the master stored, and at
 * least every `refreshMs`. A snapshot that could not be sent is sent again
 * as the same event (same id) while the deckies stay the same; once they
 * change, the newest snapshot replaces it, so after an outage the master
 * gets the newest state, not every one in between.
 *
 * @example
 * ```ts
 * import type { AgentFleetSnapshotsOptions } from "./agent_fleet_snapshots.ts";
 * import { AgentFleetSnapshots } from "./agent_fleet_snapshots.ts";
 * declare const options: AgentFleetSnapshotsOptions;
 * const snapshots = new AgentFleetSnapshots(options);
 * snapshots.start();
 * await snapshots.close();
 * ```
 */
export class AgentFleetSnapshots {
  readonly #options: AgentFleetSnapshotsOptions;
  #sent: { content: string; at: number } | undefined;
  #pending: { content: string; event: AgentEvent } | undefined;
  #failing = false;
  #published = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(options: AgentFleetSnapshotsOptions) {
    this.#options = options;
  }

  /** Snapshots the master stored since start. */
  get published(): number {
    return this.#published;
  }

  /** Looks at the deckies now and every `pollMs` after the previous look ended. */
  start(): void {
    const loop = () => {
      this.#running = this.tick().finally(() => {
        if (!this.#closed) this.#timer = setTimeout(loop, this.#options.pollMs);
      });
    };
    loop();
  }

  /** One look: sends a snapshot when one is due; never throws. */
  async tick(): Promise<void> {
    const { log } = this.#options;
    let deckies: StateDecky[];
    try {
      deckies = await this.#options.read();
    } catch (e) {
      log.warn("cannot read this host's deckies for the master", { error: String(e) });
      return;
    }
    const content = JSON.stringify([...deckies].sort((a, b) => a.name.localeCompare(b.name)));
    const now = this.#options.now();
    const due = this.#sent === undefined || this.#sent.content !== content ||
      now.getTime() - this.#sent.at >= this.#options.refreshMs;
    if (!due) return;
    if (this.#pending?.content !== content) {
      this.#pending = { content, event: await fleetStateEvent(deckies, now) };
    }
    try {
      await this.#options.publish(this.#pending.event);
    } catch (e) {
      // Once per outage: the snapshot waits here, the reconciler goes on.
      if (!this.#failing) {
        log.warn("fleet state not sent to the master; retrying", { error: String(e) });
      }
      this.#failing = true;
      return;
    }
    if (this.#failing) log.info("fleet state sent to the master again");
    this.#failing = false;
    this.#sent = { content, at: now.getTime() };
    this.#pending = undefined;
    this.#published++;
  }

  /** Stops the looks, waiting for one under way. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
