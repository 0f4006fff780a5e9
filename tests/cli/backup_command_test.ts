import assert from "node:assert/strict";
import { readTar, writeTar } from "../../core/backup/tar_archive.ts";
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

    await t.step("a MySQL DECNET_DB_URL is a usage error", async () => {
      const run = await runDecnet(["backup", `${dir}/m.tar.gz`], {
        env: { ...env, DECNET_DB_URL: "mysql://u:p@127.0.0.1:3306/d" },
      });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /sqlite: DECNET_DB_URL file only, got engine mysql/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
