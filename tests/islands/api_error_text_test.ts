import assert from "node:assert/strict";
import { apiErrorText } from "../../islands/mod.ts";

Deno.test("apiErrorText() puts the field the API named before the message", () => {
  const e = Object.assign(new Error("Expected a URL"), { field: "body.config.url" });
  assert.equal(apiErrorText(e), "body.config.url: Expected a URL");
});

Deno.test("apiErrorText() gives the message alone when no field is named", () => {
  assert.equal(
    apiErrorText(new Error("Request failed with status 500")),
    "Request failed with status 500",
  );
  assert.equal(apiErrorText(Object.assign(new Error("Conflict"), { field: "" })), "Conflict");
});
