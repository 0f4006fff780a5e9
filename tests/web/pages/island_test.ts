import assert from "node:assert/strict";
import { jsonForScript } from "../../../web/pages/island.tsx";

Deno.test("jsonForScript() cannot close its script element", () => {
  const text = jsonForScript({ a: "</script><script>alert(1)</script>", b: "<!--", c: "\u2028&" });
  assert.doesNotMatch(text, /[<>&\u2028]/);
  assert.deepEqual(JSON.parse(text), {
    a: "</script><script>alert(1)</script>",
    b: "<!--",
    c: "\u2028&",
  });
});
