import assert from "node:assert/strict";
import { lastLogLineAt, makeBody, mulberry32 } from "../../realism/mod.ts";
import { makePersona } from "./_fixtures.ts";

Deno.test("lastLogLineAt() is the end of the span, on the minute plus a second for cron", () => {
  const until = new Date("2026-03-01T10:17:42.600Z");
  assert.equal(lastLogLineAt("daemon", until).toISOString(), "2026-03-01T10:17:42.000Z");
  assert.equal(lastLogLineAt("cron", until).toISOString(), "2026-03-01T10:17:01.000Z");
  const early = new Date("2026-03-01T10:17:00.500Z");
  assert.equal(lastLogLineAt("cron", early).toISOString(), "2026-03-01T10:16:01.000Z");
});

Deno.test("makeBody() log lines end at the file's time, so a rotated log's mtime matches its last line", () => {
  const now = new Date("2026-03-01T10:17:42Z");
  for (let seed = 0; seed < 20; seed++) {
    const body = makeBody("log_daemon", {
      persona: makePersona(),
      decky: { name: "ws-01", hostname: "ws-01" },
      rand: mulberry32(seed),
      now,
    });
    const last = body.trimEnd().split("\n").at(-1)!;
    assert.match(last, /(Mar {2}1 10:17:42|2026-03-01T10:17:42)/, last);
  }
});
