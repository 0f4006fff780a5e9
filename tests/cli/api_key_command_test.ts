import assert from "node:assert/strict";
import { userInfo } from "node:os";
import { createRepositories, openDatabase } from "../../core/db/mod.ts";
import type { AuditRow } from "../../core/db/mod.ts";
import { runDecnet } from "../infra/run_decnet.ts";
import { makePersona } from "../realism/_fixtures.ts";

async function auditLog(home: string): Promise<AuditRow[]> {
  await using handle = await openDatabase(`sqlite:${home}/decnet.db`);
  return (await createRepositories(handle).audit.list({ limit: 100, offset: 0 })).items.reverse();
}

Deno.test("decnet api-key create/list/revoke manage keys and record who did it", async () => {
  const home = await Deno.makeTempDir({ prefix: "api-key-cli-" });
  try {
    const created = await runDecnet([
      "api-key",
      "create",
      "siem pull",
      "--role",
      "viewer",
      "--json",
    ], {
      home,
    });
    assert.equal(created.code, 0, created.stderr);
    const key = JSON.parse(created.stdout);
    assert.match(key.key, /^dk_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual([key.name, key.role, key.state, key.created_by], [
      "siem pull",
      "viewer",
      "active",
      "cli",
    ]);

    const plain = await runDecnet(["api-key", "create", "ir", "--role", "admin-read"], { home });
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^dk_[A-Za-z0-9_-]{43}$/m);

    const list = await runDecnet(["api-key", "list", "--json"], { home });
    const listed = JSON.parse(list.stdout);
    assert.equal(listed.total, 2);
    assert.ok(!list.stdout.includes(key.key), "list never shows a key");

    const revoked = await runDecnet(["api-key", "revoke", key.uuid, "--json"], { home });
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(JSON.parse(revoked.stdout).state, "revoked");

    const bad: [string[], number, RegExp][] = [
      [["api-key", "create", "x", "--role", "admin"], 2, /admin-read/],
      [
        ["api-key", "create", "x", "--role", "viewer", "--expires-at", "2020-01-01T00:00:00Z"],
        2,
        /--expires-at: expected a time after/,
      ],
      [
        ["api-key", "create", "x", "--role", "viewer", "--expires-at", "soon"],
        2,
        /--expires-at: expected an ISO 8601 time/,
      ],
      [["api-key", "revoke", "nope"], 2, /expected a UUID/],
      [["api-key", "revoke", crypto.randomUUID()], 1, /No such API key/],
    ];
    for (const [args, code, message] of bad) {
      const r = await runDecnet(args, { home });
      assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }

    const entries = await auditLog(home);
    assert.deepEqual(entries.map((e) => [e.action, e.actor, e.actor_kind, e.os_user]), [
      ["api_key.created", "cli", "cli", userInfo().username],
      ["api_key.created", "cli", "cli", userInfo().username],
      ["api_key.revoked", "cli", "cli", userInfo().username],
    ]);
    assert.equal(entries[2].target, key.uuid);
    assert.ok(!JSON.stringify(entries).includes(key.key.slice(3)), "no key in the audit log");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("decnet user add/passwd/remove teardown and import-personas record their audit entries, never the password", async () => {
  const home = await Deno.makeTempDir({ prefix: "user-audit-cli-" });
  try {
    const password = "an-unusual-passphrase-7";
    const run = (args: string[], stdin?: string) => runDecnet(args, { home, stdin });
    assert.equal((await run(["user", "add", "alice", "--role", "admin"], password)).code, 0);
    assert.equal((await run(["user", "add", "bob", "--role", "viewer"], password)).code, 0);
    assert.equal((await run(["user", "add", "bob", "--role", "viewer"], password)).code, 1);
    assert.equal((await run(["user", "passwd", "bob"], `${password}-2`)).code, 0);
    assert.equal((await run(["user", "remove", "alice"])).code, 1);
    assert.equal((await run(["user", "remove", "bob"])).code, 0);
    // Fleet commands record through the same domain functions as the API (Docker is away here).
    const teardown = await runDecnet(["teardown", "--name", "ws-01"], {
      home,
      env: { DOCKER_HOST: `unix://${home}/no-docker.sock` },
    });
    assert.equal(teardown.code, 1, teardown.stderr);
    const personas = `${home}/personas.json`;
    await Deno.writeTextFile(personas, JSON.stringify([makePersona()]));
    const imported = await runDecnet(
      ["realism", "import-personas", personas, "-o", `${home}/pool.json`],
      { home },
    );
    assert.equal(imported.code, 0, imported.stderr);
    const entries = await auditLog(home);
    assert.deepEqual(entries.map((e) => [e.action, e.target, e.outcome]), [
      ["user.added", "alice", "success"],
      ["user.added", "bob", "success"],
      ["user.added", "bob", "failure"],
      ["user.password_changed", "bob", "success"],
      ["user.removed", "alice", "failure"],
      ["user.removed", "bob", "success"],
      ["decky.torn_down", "ws-01", "failure"],
      ["realism.personas_changed", `${home}/pool.json`, "success"],
    ]);
    assert.ok(entries.every((e) => e.actor === "cli" && e.os_user === userInfo().username));
    assert.ok(!JSON.stringify(entries).includes(password));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
