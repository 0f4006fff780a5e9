import assert from "node:assert/strict";
import { makeTestApp } from "./test_app.ts";

Deno.test("POST /api/v1/users refuses a common password, naming body.password and why", async () => {
  await using t = await makeTestApp();
  const token = await t.login("root", "admin");
  const res = await t.request("/api/v1/users", {
    method: "POST",
    token,
    json: { username: "vera", password: "Password2024!", role: "viewer" },
  });
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.equal(error.field, "body.password");
  assert.match(
    error.message,
    /^Invalid body\.password: expected a password that is not one of the 10,000 most common/,
  );
  assert.equal(await t.repos.users.findByUsername("vera"), undefined);
});

Deno.test("POST /api/v1/users refuses a body that is not valid UTF-8, and an unpaired surrogate", async () => {
  await using t = await makeTestApp();
  const token = await t.login("root", "admin");
  const json = new TextEncoder().encode(
    '{"username":"vera","password":"long-enough-pass-\u0001","role":"viewer"}',
  );
  // 0x01 becomes 0xff: a byte that never occurs in UTF-8.
  const bytes = json.map((b) => (b === 0x01 ? 0xff : b));
  const res = await t.request("/api/v1/users", {
    method: "POST",
    token,
    headers: { "content-type": "application/json" },
    body: bytes,
  });
  assert.equal(res.status, 400);
  assert.deepEqual((await res.json()).error, {
    code: "invalid_encoding",
    message: "Request body is not valid UTF-8",
    field: "body",
  });
  const surrogate = await t.request("/api/v1/users", {
    method: "POST",
    token,
    headers: { "content-type": "application/json" },
    body: '{"username":"vera","password":"long-enough-pass-\\ud800","role":"viewer"}',
  });
  assert.equal(surrogate.status, 400);
  assert.match((await surrogate.json()).error.message, /body\.password: expected valid UTF-8/);
  assert.equal(await t.repos.users.findByUsername("vera"), undefined);
});
