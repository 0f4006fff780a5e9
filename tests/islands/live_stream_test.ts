// followLiveEvents() against stand-ins for the browser's fetch, EventSource,
// location and timers: what it asks of the server and where it sends the page.
import assert from "node:assert/strict";
import { followLiveEvents } from "../../islands/live_stream.ts";

class FakeEventSource {
  static last: FakeEventSource | null = null;
  readonly url: string;
  closed = false;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  readonly #listeners = new Map<string, (e: { data: string; lastEventId: string }) => void>();
  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
  }
  addEventListener(
    type: string,
    listener: (e: { data: string; lastEventId: string }) => void,
  ): void {
    this.#listeners.set(type, listener);
  }
  dispatch(type: string, data: unknown, lastEventId = ""): void {
    this.#listeners.get(type)?.({ data: JSON.stringify(data), lastEventId });
  }
  close(): void {
    this.closed = true;
  }
}

interface Browser {
  assigned: string[];
  tickets: number;
  retries: number;
  /** The retry timers' callbacks, run by the test when it wants the retry to happen. */
  timers: (() => void)[];
}

/** Runs `body` with the browser globals replaced; the ticket endpoint answers `ticketStatus`. */
async function inBrowser(
  ticketStatus: number,
  body: (browser: Browser) => Promise<void>,
): Promise<void> {
  const browser: Browser = { assigned: [], tickets: 0, retries: 0, timers: [] };
  const saved = {
    fetch: globalThis.fetch,
    setTimeout: globalThis.setTimeout,
    EventSource: Object.getOwnPropertyDescriptor(globalThis, "EventSource"),
    location: Object.getOwnPropertyDescriptor(globalThis, "location"),
  };
  globalThis.fetch = (input: RequestInfo | URL) => {
    assert.equal(String(input), "/api/v1/auth/sse-ticket");
    browser.tickets++;
    const body = ticketStatus === 200
      ? { ticket: "t1" }
      : { error: { code: "unauthorized", message: "Not signed in" } };
    return Promise.resolve(Response.json(body, { status: ticketStatus }));
  };
  // A retry is a timer: count it instead of waiting for it.
  globalThis.setTimeout = ((callback: () => void) => {
    browser.retries++;
    browser.timers.push(callback);
    return 0;
  }) as unknown as typeof setTimeout;
  Object.defineProperty(globalThis, "EventSource", { value: FakeEventSource, configurable: true });
  Object.defineProperty(globalThis, "location", {
    configurable: true,
    value: {
      pathname: "/canary/abc",
      search: "?tab=live",
      assign: (url: string) => browser.assigned.push(url),
    },
  });
  try {
    await body(browser);
  } finally {
    globalThis.fetch = saved.fetch;
    globalThis.setTimeout = saved.setTimeout;
    for (const name of ["EventSource", "location"] as const) {
      const d = saved[name];
      if (d) Object.defineProperty(globalThis, name, d);
      else delete (globalThis as Record<string, unknown>)[name];
    }
    FakeEventSource.last = null;
  }
}

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => {});
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await settle();
  assert.ok(check(), "condition not reached");
}

Deno.test("followLiveEvents() goes to the login page and stops when the session ended", async () => {
  await inBrowser(200, async (browser) => {
    const states: boolean[] = [];
    const stop = followLiveEvents(["canary.*.triggered"], {
      onEvent: () => {},
      onState: (live) => states.push(live),
    });
    await until(() => FakeEventSource.last !== null);
    const es = FakeEventSource.last!;
    assert.equal(es.url, "/api/v1/events/stream?topic=canary.*.triggered&ticket=t1");
    es.onopen?.();
    es.dispatch("session_ended", { reason: "Unknown user" });
    assert.deepEqual(browser.assigned, ["/login?next=%2Fcanary%2Fabc%3Ftab%3Dlive"]);
    assert.equal(es.closed, true);
    // The server closes the stream next: no retry, no new ticket.
    es.onerror?.();
    assert.equal(browser.retries, 0);
    assert.equal(browser.tickets, 1);
    assert.deepEqual(states, [true, false]);
    stop();
  });
});

Deno.test("followLiveEvents() goes to the login page when the ticket request gets 401", async () => {
  await inBrowser(401, async (browser) => {
    const stop = followLiveEvents(["decky.*.state"], { onEvent: () => {} });
    await until(() => browser.assigned.length > 0);
    assert.deepEqual(browser.assigned, ["/login?next=%2Fcanary%2Fabc%3Ftab%3Dlive"]);
    assert.equal(browser.retries, 0);
    assert.equal(FakeEventSource.last, null);
    stop();
  });
});

Deno.test("followLiveEvents() retries other failures and stays on the page", async (t) => {
  await t.step("ticket request fails with 503", async () => {
    await inBrowser(503, async (browser) => {
      const stop = followLiveEvents(["decky.*.state"], { onEvent: () => {} });
      await until(() => browser.retries > 0);
      assert.deepEqual(browser.assigned, []);
      stop();
    });
  });
  await t.step("the stream drops", async () => {
    await inBrowser(200, async (browser) => {
      const stop = followLiveEvents(["decky.*.state"], { onEvent: () => {} });
      await until(() => FakeEventSource.last !== null);
      FakeEventSource.last!.onerror?.();
      assert.equal(browser.retries, 1);
      assert.deepEqual(browser.assigned, []);
      stop();
    });
  });
});

Deno.test("followLiveEvents() reconnects from the last event id it saw, with a new ticket", async () => {
  await inBrowser(200, async (browser) => {
    const seen: string[] = [];
    const stop = followLiveEvents(["canary.*.triggered", "orchestrator.>"], {
      // Where the page's own rows end: the first connection resumes after them.
      lastEventId: "trigger:4",
      onEvent: (e) => seen.push(`${e.family} ${e.topic} ${e.lastEventId}`),
    });
    await until(() => FakeEventSource.last !== null);
    const first = FakeEventSource.last!;
    assert.equal(
      first.url,
      "/api/v1/events/stream?topic=canary.*.triggered&topic=orchestrator.%3E&ticket=t1" +
        "&last_event_id=trigger%3A4",
    );
    first.onopen?.();
    first.dispatch("ready", { last_event_id: "trigger:4,event:9" }, "trigger:4,event:9");
    first.dispatch(
      "canary",
      { topic: "canary.t1.triggered", payload: { token_uuid: "t1" } },
      "trigger:5,event:9",
    );
    assert.deepEqual(seen, ["canary canary.t1.triggered trigger:5,event:9"]);
    first.onerror?.();
    assert.equal(first.closed, true);
    browser.timers.shift()!();
    await until(() => FakeEventSource.last !== first);
    assert.equal(
      FakeEventSource.last!.url,
      "/api/v1/events/stream?topic=canary.*.triggered&topic=orchestrator.%3E&ticket=t1" +
        "&last_event_id=trigger%3A5%2Cevent%3A9",
    );
    assert.equal(browser.tickets, 2);
    stop();
  });
});
