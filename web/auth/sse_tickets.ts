/** The user a ticket or stream belongs to. */
export interface TicketOwner {
  uuid: string;
  username: string;
  role: "admin" | "viewer";
}

/**
 * Single-use tickets for EventSource (which cannot send headers) and the
 * per-user cap on concurrent streams.
 *
 * @example
 * ```ts
 * const { ticket } = tickets.issue(user, now);
 * const owner = tickets.redeem(ticket, now); // once only
 * ```
 */
export class SseTickets {
  readonly #ttlMs: number;
  readonly #maxPerUser: number;
  readonly #tickets = new Map<string, { owner: TicketOwner; expiresAt: number }>();
  readonly #open = new Map<string, number>();

  constructor(options: { ttlMs?: number; maxPerUser: number }) {
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#maxPerUser = options.maxPerUser;
  }

  /** A new ticket valid for the TTL (60 s by default). */
  issue(owner: TicketOwner, now: number): { ticket: string; expiresIn: number } {
    for (const [t, v] of this.#tickets) if (v.expiresAt <= now) this.#tickets.delete(t);
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    const ticket = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    this.#tickets.set(ticket, { owner: { ...owner }, expiresAt: now + this.#ttlMs });
    return { ticket, expiresIn: Math.round(this.#ttlMs / 1000) };
  }

  /** The ticket's owner, consuming it; null when unknown, used or expired. */
  redeem(ticket: string, now: number): TicketOwner | null {
    const entry = this.#tickets.get(ticket);
    if (!entry) return null;
    this.#tickets.delete(ticket);
    return entry.expiresAt > now ? entry.owner : null;
  }

  /** Claims a stream slot for the user; false when at the cap. Release with {@linkcode release}. */
  acquire(userUuid: string): boolean {
    const open = this.#open.get(userUuid) ?? 0;
    if (open >= this.#maxPerUser) return false;
    this.#open.set(userUuid, open + 1);
    return true;
  }

  release(userUuid: string): void {
    const open = (this.#open.get(userUuid) ?? 1) - 1;
    if (open <= 0) this.#open.delete(userUuid);
    else this.#open.set(userUuid, open);
  }

  /** Open streams of a user. */
  openStreams(userUuid: string): number {
    return this.#open.get(userUuid) ?? 0;
  }
}
