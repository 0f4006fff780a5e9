import assert from "node:assert/strict";
import {
  ANSWER_GZIP,
  ANSWER_HEAD,
  ANSWER_KEEP_ALIVE,
  AnswerBytes,
} from "../../../canary/receiver/answer_bytes.ts";
import { type NginxStatus, renderNginxResponse } from "../../../core/http1/mod.ts";

const SERVER = "nginx/1.22.1";
const AT = Date.parse("2026-12-02T03:30:00.250Z");

Deno.test("AnswerBytes.render() makes renderNginxResponse's bytes for every status and flag", () => {
  const answers = new AnswerBytes(SERVER);
  const statuses: NginxStatus[] = [200, 400, 404, 405, 413, 414, 494, 501, 505];
  for (const status of statuses) {
    for (let flags = 0; flags < 8; flags++) {
      const expected = renderNginxResponse(status, {
        server: SERVER,
        date: new Date(AT),
        keepAlive: (flags & ANSWER_KEEP_ALIVE) !== 0,
        headOnly: (flags & ANSWER_HEAD) !== 0,
        gzip: (flags & ANSWER_GZIP) !== 0,
      });
      assert.deepEqual(answers.render(status, flags, AT), expected, `${status} flags ${flags}`);
    }
  }
});

Deno.test("AnswerBytes.render() reuses an answer within its Date second and remakes it in the next", () => {
  const answers = new AnswerBytes(SERVER);
  const first = answers.render(404, ANSWER_KEEP_ALIVE, AT);
  assert.equal(answers.render(404, ANSWER_KEEP_ALIVE, AT + 749), first);
  const next = answers.render(404, ANSWER_KEEP_ALIVE, AT + 750);
  assert.notEqual(next, first);
  const text = new TextDecoder().decode(next);
  assert.match(text, /\r\nDate: Wed, 02 Dec 2026 03:30:01 GMT\r\n/);
  assert.match(new TextDecoder().decode(first), /\r\nDate: Wed, 02 Dec 2026 03:30:00 GMT\r\n/);
});

Deno.test("AnswerBytes.render() keeps answers with different flags apart", () => {
  const answers = new AnswerBytes(SERVER);
  const keepAlive = new TextDecoder().decode(answers.render(200, ANSWER_KEEP_ALIVE, AT));
  const close = new TextDecoder().decode(answers.render(200, 0, AT));
  assert.match(keepAlive, /\r\nConnection: keep-alive\r\n/);
  assert.match(close, /\r\nConnection: close\r\n/);
});
