import assert from "node:assert/strict";
import { readTar, writeTar } from "../../core/backup/tar_archive.ts";
import { findBinary } from "../infra/find_binary.ts";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { runDecnet } from "../infra/run_decnet.ts";

async function gunzip(path: string): Promise<Uint8Array> {
  const file = await Deno.open(path);
  return new Uint8Array(
    await new Response(file.readable.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer(),
  );
}

async function gzipTo(path: string, data: Uint8Array): Promise<void> {
  const body = new Blob([data as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  await Deno.writeFile(path, new Uint8Array(await new Response(body).arrayBuffer()));
}

Deno.test("decnet backup / restore: database, state file, secrets and blobs, checksummed", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "backup-" });
  try {
    const home = `${dir}/home`;
    const env = { DECNET_HOME: home };
    await Deno.writeTextFile(`${dir}/pw`, "Zq8!backup-test-pass\n");
    assert.equal((await runDecnet(["db", "migrate"], { env })).code, 0);
    const add = await runDecnet(
      ["user", "add", "alice", "--role", "viewer", "--password-file", `${dir}/pw`],
      { env },
    );
    assert.equal(add.code, 0, add.stderr);
    await Deno.writeTextFile(`${home}/decnet-state.json`, '{"deckies":[]}\n');
    await Deno.writeTextFile(`${home}/jwt_secret`, "s3cret\n", { mode: 0o600 });
    await Deno.chmod(`${home}/jwt_secret`, 0o600);
    await Deno.mkdir(`${home}/canary/blobs`, { recursive: true });
    await Deno.writeFile(`${home}/canary/blobs/ab12`, new Uint8Array([0, 1, 2, 255]));
    const file = `${dir}/decnet.tar.gz`;

    await t.step("backup writes a gzipped tar GNU tar reads, with SHA256SUMS", async () => {
      const run = await runDecnet(["backup", file], { env });
      assert.equal(run.code, 0, run.stderr);
      const list = await new Deno.Command("tar", { args: ["-tzf", file], stdout: "piped" })
        .output();
      assert.deepEqual(new TextDecoder().decode(list.stdout).trim().split("\n").sort(), [
        "SHA256SUMS",
        "decnet.db",
        "home/canary/blobs/ab12",
        "home/decnet-state.json",
        "home/jwt_secret",
      ]);
      const again = await runDecnet(["backup", file], { env });
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already exists/);
    });

    const restored = { DECNET_HOME: `${dir}/restored` };
    await t.step("restore into an empty home brings back the user and every file", async () => {
      const run = await runDecnet(["restore", file], { env: restored });
      assert.equal(run.code, 0, run.stderr);
      const users = await runDecnet(["user", "list"], { env: restored });
      assert.match(users.stdout, /^alice +viewer/m);
      for (const f of ["decnet-state.json", "jwt_secret", "canary/blobs/ab12"]) {
        assert.deepEqual(
          await Deno.readFile(`${dir}/restored/${f}`),
          await Deno.readFile(`${home}/${f}`),
        );
      }
      assert.equal((await Deno.stat(`${dir}/restored/jwt_secret`)).mode! & 0o777, 0o600);
      const twice = await runDecnet(["restore", file], { env: restored });
      assert.equal(twice.code, 2);
      assert.match(twice.stderr, /already exists at .*--force/);
      assert.equal((await runDecnet(["restore", "--force", file], { env: restored })).code, 0);
    });

    await t.step(
      "a tampered backup is refused, naming the file, and nothing is written",
      async () => {
        const entries = readTar(await gunzip(file));
        const state = entries.find((e) => e.path === "home/decnet-state.json")!;
        state.data = new TextEncoder().encode('{"deckies":[1]}\n');
        await gzipTo(`${dir}/bad.tar.gz`, writeTar(entries, 0));
        const empty = { DECNET_HOME: `${dir}/other` };
        const run = await runDecnet(["restore", `${dir}/bad.tar.gz`], { env: empty });
        assert.equal(run.code, 2);
        assert.match(run.stderr, /home\/decnet-state\.json: checksum mismatch/);
        await assert.rejects(Deno.stat(`${dir}/other`), Deno.errors.NotFound);
      },
    );

    await t.step("a SQLite backup is refused for a MySQL DECNET_DB_URL, naming both", async () => {
      const run = await runDecnet(["restore", file], {
        env: { DECNET_HOME: `${dir}/other`, DECNET_DB_URL: "mysql://u:p@127.0.0.1:9/d" },
      });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /holds a SQLite database, not one for DECNET_DB_URL's engine mysql/);
      await assert.rejects(Deno.stat(`${dir}/other`), Deno.errors.NotFound);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A password with every character an option file could misread: quotes, backslash, `#`, space.
const ODD_PASSWORD = `p"a\\ss #w'x`;

Deno.test({
  name: "decnet backup / restore on MariaDB: a mariadb-dump, checksummed, loaded back with --force",
  ignore: mariaDbUnavailable() !== undefined || !findBinary("mariadb-dump"),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "backup-mariadb-" });
    await using server = await startMariaDb();
    try {
      const plain = await server.createDatabase("source");
      await server.createDatabase("target");
      const sqlLiteral = ODD_PASSWORD.replace(/[\\']/g, (c) => `\\${c}`);
      const set = await new Deno.Command(findBinary("mariadb")!, {
        args: [
          "--no-defaults",
          "-h127.0.0.1",
          `-P${server.port}`,
          `-u${new URL(plain).username}`,
          `-p${decodeURIComponent(new URL(plain).password)}`,
          `-eSET PASSWORD = PASSWORD('${sqlLiteral}')`,
        ],
        stderr: "piped",
      }).output();
      assert.ok(set.success, new TextDecoder().decode(set.stderr));
      const url = (db: string) => {
        const u = new URL(plain);
        u.password = encodeURIComponent(ODD_PASSWORD);
        u.pathname = `/${db}`;
        return u.href;
      };
      const home = `${dir}/home`;
      const env = { DECNET_HOME: home, DECNET_DB_URL: url("source") };
      await Deno.writeTextFile(`${dir}/pw`, "Zq8!backup-test-pass\n");
      const add = await runDecnet(
        ["user", "add", "alice", "--role", "viewer", "--password-file", `${dir}/pw`],
        { env },
      );
      assert.equal(add.code, 0, add.stderr);
      await Deno.mkdir(home, { recursive: true });
      await Deno.writeTextFile(`${home}/decnet-state.json`, '{"deckies":[]}\n');
      const file = `${dir}/decnet.tar.gz`;

      await t.step("backup holds decnet.sql, a dump of every table, and SHA256SUMS", async () => {
        const run = await runDecnet(["backup", file], { env });
        assert.equal(run.code, 0, run.stderr);
        const entries = readTar(await gunzip(file));
        assert.deepEqual(entries.map((e) => e.path).sort(), [
          "SHA256SUMS",
          "decnet.sql",
          "home/decnet-state.json",
        ]);
        const sql = new TextDecoder().decode(entries.find((e) => e.path === "decnet.sql")!.data);
        assert.match(sql, /CREATE TABLE `users`/);
        assert.match(sql, /INSERT INTO `users` VALUES[^;]*'alice'/);
        assert.match(sql, /CREATE TABLE `schema_migrations`/);
        assert.doesNotMatch(sql, /CREATE DATABASE|^USE /m, "the dump loads into any database");
        assert.ok(!sql.includes(ODD_PASSWORD));
      });

      const restored = { DECNET_HOME: `${dir}/restored`, DECNET_DB_URL: url("target") };
      await t.step("restore into an empty database brings the user back", async () => {
        const run = await runDecnet(["restore", file], { env: restored });
        assert.equal(run.code, 0, run.stderr);
        const users = await runDecnet(["user", "list"], { env: restored });
        assert.equal(users.code, 0, users.stderr);
        assert.match(users.stdout, /^alice +viewer/m);
        assert.equal(
          await Deno.readTextFile(`${dir}/restored/decnet-state.json`),
          '{"deckies":[]}\n',
        );
      });

      await t.step(
        "restore over a database with tables needs --force, then replaces it",
        async () => {
          await Deno.writeTextFile(`${dir}/pw2`, "Zq8!another-test-pass\n");
          const bob = await runDecnet(
            ["user", "add", "bob", "--role", "viewer", "--password-file", `${dir}/pw2`],
            { env: restored },
          );
          assert.equal(bob.code, 0, bob.stderr);
          const refused = await runDecnet(["restore", file], { env: restored });
          assert.equal(refused.code, 2);
          assert.match(
            refused.stderr,
            /a database already exists in MySQL database target; .*--force/,
          );
          const forced = await runDecnet(["restore", "--force", file], { env: restored });
          assert.equal(forced.code, 0, forced.stderr);
          const users = await runDecnet(["user", "list"], { env: restored });
          assert.match(users.stdout, /^alice +viewer/m);
          assert.doesNotMatch(users.stdout, /^bob /m);
        },
      );

      await t.step(
        "a failing dump names the program and the database, not the password",
        async () => {
          const run = await runDecnet(["backup", `${dir}/missing.tar.gz`], {
            env: { ...env, DECNET_DB_URL: url("no_such_db") },
          });
          assert.equal(run.code, 1);
          assert.match(
            run.stderr,
            /mariadb-dump failed \(exit \d+\) for database no_such_db: .*Unknown database/,
          );
          assert.ok(!run.stderr.includes(ODD_PASSWORD));
          await assert.rejects(Deno.stat(`${dir}/missing.tar.gz`), Deno.errors.NotFound);
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
