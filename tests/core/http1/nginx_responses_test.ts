import assert from "node:assert/strict";
import { renderNginxResponse } from "../../../core/http1/mod.ts";

const decoder = new TextDecoder();

function dateHeader(date: Date): string {
  const text = decoder.decode(
    renderNginxResponse(404, { server: "nginx/1.22.1", date, keepAlive: true }),
  );
  return /\r\nDate: ([^\r]+)\r\n/.exec(text)![1];
}

Deno.test("renderNginxResponse() dates each answer with its own second, whatever came before", () => {
  const first = new Date("2026-12-01T18:00:00.100Z");
  assert.equal(dateHeader(first), "Tue, 01 Dec 2026 18:00:00 GMT");
  assert.equal(dateHeader(new Date("2026-12-01T18:00:00.900Z")), "Tue, 01 Dec 2026 18:00:00 GMT");
  assert.equal(dateHeader(new Date("2026-12-01T18:00:01.000Z")), "Tue, 01 Dec 2026 18:00:01 GMT");
  // An earlier clock (another caller's injected one) is not answered with the later second.
  assert.equal(dateHeader(new Date("2026-11-18T14:00:00Z")), "Wed, 18 Nov 2026 14:00:00 GMT");
  assert.equal(dateHeader(first), "Tue, 01 Dec 2026 18:00:00 GMT");
});
