import assert from "node:assert/strict";
import { ConfigError } from "../../../core/config/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { ensureFirstAdmin, hashPassword } from "../../../web/mod.ts";

const WEAK = "Password2024!";

Deno.test("ensureFirstAdmin() refuses a common DECNET_ADMIN_PASSWORD for the first admin, naming the variable", async () => {
  await using handle = await openMigratedDatabase("sqlite::memory:");
  const repos = createRepositories(handle);
  await assert.rejects(
    () => ensureFirstAdmin(repos.users, { username: "admin", password: WEAK }),
    (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.issues[0].variable, "DECNET_ADMIN_PASSWORD");
      assert.match(
        e.message,
        /^Cannot create the first admin from DECNET_ADMIN_PASSWORD: expected a password that is not one of the 10,000 most common .*got \(hidden\)$/,
      );
      assert.doesNotMatch(e.message, /Password2024/);
      return true;
    },
  );
  assert.equal(await repos.users.count(), 0);
});

Deno.test("ensureFirstAdmin() ignores DECNET_ADMIN_PASSWORD, weak or not, once users exist", async () => {
  await using handle = await openMigratedDatabase("sqlite::memory:");
  const repos = createRepositories(handle);
  await repos.users.create({
    username: "ops",
    passwordHash: await hashPassword("a-long-unusual-passphrase"),
    role: "admin",
  });
  assert.deepEqual(await ensureFirstAdmin(repos.users, { username: "admin", password: WEAK }), {
    created: false,
  });
});

Deno.test("ensureFirstAdmin() creates the first admin with a password the policy takes", async () => {
  await using handle = await openMigratedDatabase("sqlite::memory:");
  const repos = createRepositories(handle);
  const r = await ensureFirstAdmin(repos.users, {
    username: "admin",
    password: "a-long-unusual-passphrase",
  });
  assert.deepEqual(r, { created: true, username: "admin", generatedPassword: null });
});
