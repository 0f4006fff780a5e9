import assert from "node:assert/strict";
import { maskDbUrl } from "../../../core/config/mod.ts";

Deno.test("maskDbUrl() hides the password and nothing else", () => {
  assert.equal(
    maskDbUrl("mysql://decnet:s3cr@t@db:3306/decnet"),
    "mysql://decnet:***@db:3306/decnet",
  );
  assert.equal(maskDbUrl("nats://u:p@127.0.0.1:4222"), "nats://u:***@127.0.0.1:4222");
  assert.equal(maskDbUrl("sqlite:/var/lib/decnet/decnet.db"), "sqlite:/var/lib/decnet/decnet.db");
  assert.equal(maskDbUrl("mysql://db:3306/decnet"), "mysql://db:3306/decnet");
});
