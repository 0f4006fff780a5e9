import type { AuthUser } from "../app_env.ts";
import type { TokenClaims } from "./jwt.ts";

/** The signed-in session a ticket (and the stream it opens) belongs to. */
export interface SseSession {
  user: AuthUser;
  /** The claims of the token the ticket was issued to: re-checked while the stream is open. */
  claims: Pick<TokenClaims, "sub" | "jti" | "iat" | "exp">;
}

/** Settings of {@linkcode SseTickets}. */
export interface SseTicketsConfig {
  /** Concurrent streams per user (DECNET_SSE_MAX_PER_USER). */
  maxPerUser: number;
  /** Lifetime of a ticket. @default 60000 */
  ttlMs?: number;
  /** Tickets a user may hold unredeemed at once. @default 2 × maxPerUser */
  maxTicketsPerUser?: number;
  /**
   * How often an open stream re-checks its session (a logout, password
   * change or removal made by another process, e.g. the CLI). @default 2000
   */
  sessionCheckMs?: number;
}

/**
 * Single-use tickets for EventSource (which cannot send headers), bound to
 * the session that asked for them; the per-user caps on unredeemed tickets
 * and on concurrent streams; and the registry of open streams' session
 * checks, so a logout in this process closes them at once.
 *
 * @example
 * ```ts
 * import { type SseSession, SseTickets } from "./sse_tickets.ts";
 * declare const tickets: SseTickets;
 * declare const { user, claims }: SseSession;
 * const now = Date.now();
 * const issued = tickets.issue({ user, claims }, now);
 * if ("ticket" in issued) tickets.redeem(issued.ticket, now); // once only
 * ```
 */
export class SseTickets {
  readonly #ttlMs: number;
  readonly #maxPerUser: number;
  readonly #maxTicketsPerUser: number;
  readonly sessionCheckMs: number;
  readonly #tickets = new Map<string, { session: SseSession; expiresAt: number }>();
  readonly #outstanding = new Map<string, number>();
  readonly #open = new Map<string, number>();
  readonly #checks = new Set<() => void>();

  constructor(config: SseTicketsConfig) {
    this.#ttlMs = config.ttlMs ?? 60_000;
    this.#maxPerUser = config.maxPerUser;
    this.#maxTicketsPerUser = config.maxTicketsPerUser ?? 2 * config.maxPerUser;
    this.sessionCheckMs = config.sessionCheckMs ?? 2_000;
  }

  /**
   * A new ticket valid for the TTL (60 s by default), or how long to wait
   * when the user already holds the most unredeemed tickets allowed.
   */
  issue(
    session: SseSession,
    now: number,
  ): { ticket: string; expiresIn: number } | { retryAfterSeconds: number } {
    this.#expire(now);
    const uuid = session.user.uuid;
    if ((this.#outstanding.get(uuid) ?? 0) >= this.#maxTicketsPerUser) {
      let soonest = Infinity;
      for (const v of this.#tickets.values()) {
        if (v.session.user.uuid === uuid) soonest = Math.min(soonest, v.expiresAt);
      }
      return { retryAfterSeconds: Math.max(1, Math.ceil((soonest - now) / 1000)) };
    }
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    const ticket = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    this.#tickets.set(ticket, {
      session: { user: { ...session.user }, claims: { ...session.claims } },
      expiresAt: now + this.#ttlMs,
    });
    this.#outstanding.set(uuid, (this.#outstanding.get(uuid) ?? 0) + 1);
    return { ticket, expiresIn: Math.round(this.#ttlMs / 1000) };
  }

  /** The ticket's session, consuming it; null when unknown, used or expired. */
  redeem(ticket: string, now: number): SseSession | null {
    const entry = this.#tickets.get(ticket);
    if (!entry) return null;
    this.#drop(ticket, entry.session.user.uuid);
    return entry.expiresAt > now ? entry.session : null;
  }

  /** Unredeemed, unexpired tickets of a user. */
  outstandingTickets(userUuid: string, now: number): number {
    this.#expire(now);
    return this.#outstanding.get(userUuid) ?? 0;
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

  /** Registers an open stream's session check; returns its removal. */
  watch(check: () => void): () => void {
    this.#checks.add(check);
    return () => this.#checks.delete(check);
  }

  /** Runs every open stream's session check now (after a logout, password change or removal here). */
  recheckAll(): void {
    for (const check of [...this.#checks]) check();
  }

  #expire(now: number): void {
    for (const [t, v] of this.#tickets) {
      if (v.expiresAt <= now) this.#drop(t, v.session.user.uuid);
    }
  }

  #drop(ticket: string, userUuid: string): void {
    this.#tickets.delete(ticket);
    const left = (this.#outstanding.get(userUuid) ?? 1) - 1;
    if (left <= 0) this.#outstanding.delete(userUuid);
    else this.#outstanding.set(userUuid, left);
  }
}
