import assert from "node:assert/strict";
import { formatStreamCursor, parseStreamCursor } from "../../../web/events/stream_cursor.ts";

Deno.test("formatStreamCursor() writes the tables in a fixed order and parseStreamCursor() reads it back", () => {
  const text = formatStreamCursor({ email: 3, trigger: 42, event: 0 });
  assert.equal(text, "trigger:42,event:0,email:3");
  assert.deepEqual(parseStreamCursor(text), { trigger: 42, event: 0, email: 3 });
  assert.deepEqual(parseStreamCursor("email:7"), { email: 7 });
  assert.equal(formatStreamCursor({}), "");
});

Deno.test("parseStreamCursor() refuses anything but table:id pairs, each once", () => {
  for (
    const bad of [
      "",
      "42",
      "trigger:",
      "trigger:-1",
      "trigger:01",
      "token:1",
      "event:1,event:2",
      "x".repeat(201),
    ]
  ) {
    assert.throws(() => parseStreamCursor(bad), SyntaxError, bad);
  }
});
