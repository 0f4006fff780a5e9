import assert from "node:assert/strict";
import { benignSources } from "../../../core/attackers/benign_sources.ts";

Deno.test("benignSources() matches fleet addresses exactly and operator blocks by prefix", () => {
  const isBenign = benignSources(["192.0.2.11"], ["198.51.100.0/24", "2001:db8::/32"]);
  assert.equal(isBenign("192.0.2.11"), true);
  assert.equal(isBenign("192.0.2.12"), false);
  assert.equal(isBenign("198.51.100.200"), true);
  assert.equal(isBenign("198.51.101.1"), false);
  assert.equal(isBenign("2001:db8::9"), true);
  assert.equal(isBenign("not an address"), false);
  assert.equal(benignSources([], [])("198.51.100.1"), false);
});
