import assert from "node:assert/strict";
import { SseTickets } from "../../web/mod.ts";

const NOW = Date.parse("2026-11-18T14:00:00Z");

function sessionOf(uuid: string) {
  return {
    user: { uuid, username: `user-${uuid}`, role: "viewer" as const },
    claims: { sub: uuid, jti: `jti-${uuid}`, iat: NOW / 1000, exp: NOW / 1000 + 3600 },
  };
}

function ticketOf(issued: { ticket: string } | { retryAfterSeconds: number }): string {
  assert.ok("ticket" in issued, `expected a ticket, got ${JSON.stringify(issued)}`);
  return issued.ticket;
}

Deno.test("SseTickets.redeem() hands a ticket's session over once, and never after its TTL", () => {
  const tickets = new SseTickets({ maxPerUser: 5 });
  const ticket = ticketOf(tickets.issue(sessionOf("u1"), NOW));
  assert.deepEqual(tickets.redeem(ticket, NOW), sessionOf("u1"));
  assert.equal(tickets.redeem(ticket, NOW), null);
  const late = ticketOf(tickets.issue(sessionOf("u1"), NOW));
  assert.equal(tickets.redeem(late, NOW + 60_001), null);
});

Deno.test("SseTickets.issue() caps unredeemed tickets per user until they expire or are redeemed", () => {
  const tickets = new SseTickets({ maxPerUser: 1, maxTicketsPerUser: 3 });
  const issued = [0, 1, 2].map((i) => ticketOf(tickets.issue(sessionOf("u1"), NOW + i * 10_000)));
  assert.deepEqual(tickets.issue(sessionOf("u1"), NOW + 30_000), { retryAfterSeconds: 30 });
  assert.equal(tickets.outstandingTickets("u1", NOW + 30_000), 3);
  ticketOf(tickets.issue(sessionOf("u2"), NOW + 30_000));
  assert.ok(tickets.redeem(issued[1], NOW + 30_000));
  ticketOf(tickets.issue(sessionOf("u1"), NOW + 30_000));
  // The oldest expires at NOW + 60 s and frees its place (memory stays bounded too).
  assert.ok("retryAfterSeconds" in tickets.issue(sessionOf("u1"), NOW + 59_000));
  ticketOf(tickets.issue(sessionOf("u1"), NOW + 60_000));
  assert.equal(tickets.outstandingTickets("u1", NOW + 200_000), 0);
});

Deno.test("SseTickets caps concurrent streams per user", () => {
  const tickets = new SseTickets({ maxPerUser: 2 });
  assert.equal(tickets.acquire("u1"), true);
  assert.equal(tickets.acquire("u1"), true);
  assert.equal(tickets.acquire("u1"), false);
  assert.equal(tickets.acquire("u2"), true);
  tickets.release("u1");
  assert.equal(tickets.acquire("u1"), true);
});

Deno.test("SseTickets.recheckAll() runs every watched check until it is unwatched", () => {
  const tickets = new SseTickets({ maxPerUser: 2 });
  const calls: string[] = [];
  const unwatchA = tickets.watch(() => calls.push("a"));
  tickets.watch(() => calls.push("b"));
  tickets.recheckAll();
  unwatchA();
  tickets.recheckAll();
  assert.deepEqual(calls, ["a", "b", "b"]);
});
