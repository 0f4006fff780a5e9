import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { checkSession } from "../../../web/auth/check_session.ts";
import { JwtSigner } from "../../../web/auth/jwt.ts";

Deno.test("checkSession() ends a session whose password changed later in the same second, and keeps one opened after", async () => {
  let now = new Date("2026-12-01T10:00:00.100Z");
  const clock = () => now;
  await using handle = await openMigratedDatabase("sqlite::memory:");
  const repos = createRepositories(handle, { clock });
  const user = await repos.users.create({ username: "vera", passwordHash: "x", role: "viewer" });
  const jwt = await JwtSigner.create("a-secret-of-at-least-32-characters!");
  const subject = { sub: user.uuid, role: user.role, name: user.username };

  now = new Date("2026-12-01T10:00:05.200Z");
  const before = await jwt.sign(subject, { ttlSeconds: 3600, now });
  now = new Date("2026-12-01T10:00:05.700Z");
  await repos.users.setPassword("vera", "y");
  now = new Date("2026-12-01T10:00:05.900Z");
  const after = await jwt.sign(subject, { ttlSeconds: 3600, now });

  const deps = { repos, now: clock };
  assert.deepEqual(await checkSession(deps, before.claims), {
    ok: false,
    reason: "Token issued before the last password change",
  });
  assert.equal((await checkSession(deps, after.claims)).ok, true);
});
