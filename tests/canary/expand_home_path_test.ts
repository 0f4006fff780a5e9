import assert from "node:assert/strict";
import { expandHomePath } from "../../canary/mod.ts";

Deno.test("expandHomePath() puts ~/ under the login's home and leaves other paths alone", () => {
  assert.equal(expandHomePath("~/.aws/credentials", "ana"), "/home/ana/.aws/credentials");
  assert.equal(expandHomePath("~/.ssh/id_rsa", "root"), "/root/.ssh/id_rsa");
  assert.equal(expandHomePath("/etc/app.conf", "ana"), "/etc/app.conf");
  assert.equal(expandHomePath("C:\\Users\\ana\\a.txt", "ana"), "C:\\Users\\ana\\a.txt");
});
