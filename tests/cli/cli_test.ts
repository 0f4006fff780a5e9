import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "cli-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("decnet --help, --version and subcommand --help exit 0", async () => {
  await withHome(async (home) => {
    const help = await runDecnet(["--help"], { home });
    assert.equal(help.code, 0);
    for (const cmd of ["up", "api", "db", "user", "config"]) {
      assert.match(help.stdout, new RegExp(`\\b${cmd}\\b`));
    }
    const version = await runDecnet(["--version"], { home });
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    for (const sub of [["up"], ["api"], ["db", "migrate"], ["user", "add"], ["config", "show"]]) {
      const r = await runDecnet([...sub, "--help"], { home });
      assert.equal(r.code, 0, `${sub.join(" ")} --help`);
      assert.match(r.stdout, /^Usage: decnet /);
    }
  });
});

Deno.test("decnet exits 2 with a clear message on an unknown command or flag", async () => {
  await withHome(async (home) => {
    const cmd = await runDecnet(["frobnicate"], { home });
    assert.equal(cmd.code, 2);
    assert.match(cmd.stderr, /unknown command 'frobnicate'/);
    const flag = await runDecnet(["db", "status", "--fast"], { home });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option '--fast'/);
    const role = await runDecnet(["user", "add", "x", "--role", "root"], { home, stdin: "" });
    assert.equal(role.code, 2);
    assert.match(role.stderr, /Allowed choices are admin, viewer/);
  });
});

Deno.test("decnet exits 2 naming every bad variable", async () => {
  await withHome(async (home) => {
    const r = await runDecnet(["config", "show"], {
      home,
      env: { DECNET_API_PORT: "99999", DECNET_LOG_LEVEL: "chatty" },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /DECNET_API_PORT: expected 0-65535, got "99999"/);
    assert.match(r.stderr, /DECNET_LOG_LEVEL: expected one of debug, info, warn, error/);
  });
});

Deno.test("decnet config show masks secrets and reads --env-file", async () => {
  await withHome(async (home) => {
    await Deno.writeTextFile(
      `${home}/site.env`,
      "DECNET_API_PORT=9123\nDECNET_ADMIN_PASSWORD=hunter2-hunter2\n",
    );
    const r = await runDecnet(["--env-file", `${home}/site.env`, "config", "show", "--json"], {
      home,
      env: { DECNET_DB_URL: "mysql://decnet:topsecret@192.0.2.5:3306/decnet" },
    });
    assert.equal(r.code, 0, r.stderr);
    const shown = JSON.parse(r.stdout);
    assert.equal(shown.DECNET_API_PORT, "9123");
    assert.equal(shown.DECNET_ADMIN_PASSWORD, "********");
    assert.equal(shown.DECNET_DB_URL, "mysql://decnet:***@192.0.2.5:3306/decnet");
    assert.doesNotMatch(r.stdout, /topsecret|hunter2/);
  });
});

Deno.test("decnet user add, list, passwd and remove manage accounts", async () => {
  await withHome(async (home) => {
    const add = await runDecnet(["user", "add", "alice", "--role", "admin"], {
      home,
      stdin: "a-long-password-1\n",
    });
    assert.equal(add.code, 0, add.stderr);
    await Deno.writeTextFile(`${home}/pw`, "another-password-2\n");
    const add2 = await runDecnet([
      "user",
      "add",
      "bob",
      "--role",
      "viewer",
      "--password-file",
      `${home}/pw`,
    ], { home });
    assert.equal(add2.code, 0, add2.stderr);
    const dup = await runDecnet(["user", "add", "bob", "--role", "viewer"], {
      home,
      stdin: "another-password-2\n",
    });
    assert.equal(dup.code, 1);
    const short = await runDecnet(["user", "add", "carol", "--role", "viewer"], {
      home,
      stdin: "short\n",
    });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /at least 12 characters/);
    const list = await runDecnet(["user", "list", "--json"], { home });
    assert.deepEqual(JSON.parse(list.stdout).items.map((u: { username: string }) => u.username), [
      "alice",
      "bob",
    ]);
    assert.equal(
      (await runDecnet(["user", "passwd", "bob"], { home, stdin: "a-third-password-3\n" })).code,
      0,
    );
    assert.equal(
      (await runDecnet(["user", "passwd", "nobody"], { home, stdin: "a-third-password-3\n" })).code,
      1,
    );
    const last = await runDecnet(["user", "remove", "alice"], { home });
    assert.equal(last.code, 1);
    assert.match(last.stderr, /last admin/);
    assert.equal((await runDecnet(["user", "remove", "bob"], { home })).code, 0);
  });
});

Deno.test("decnet db reset refuses without --i-know-what-im-doing", async () => {
  await withHome(async (home) => {
    assert.equal((await runDecnet(["db", "migrate"], { home })).code, 0);
    const refused = await runDecnet(["db", "reset"], { home });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--i-know-what-im-doing/);
    const reset = await runDecnet(["db", "reset", "--i-know-what-im-doing"], { home });
    assert.equal(reset.code, 0, reset.stderr);
    const status = await runDecnet(["db", "status", "--json"], { home });
    assert.ok(JSON.parse(status.stdout).items.every((m: { applied: boolean }) => m.applied));
  });
});
