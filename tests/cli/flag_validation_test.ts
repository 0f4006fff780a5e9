import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";
import { countingUnixSocket } from "../infra/counting_unix_socket.ts";

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "cli-validation-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("decnet teardown --name exits 2 on a non-decky name before Docker is asked", async () => {
  await withHome(async (home) => {
    await using docker = countingUnixSocket(home);
    for (const name of ["..", "a/b", "<b>x</b>", "a".repeat(5000)]) {
      const r = await runDecnet(["teardown", "--name", "ws-01", "--name", name], {
        home,
        env: { DOCKER_HOST: docker.url },
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /option '--name <name\.\.\.>' argument .* is invalid\. expected a decky name/,
      );
    }
    assert.equal(docker.connections, 0);
    // A good name is not refused: it goes on to Docker (which drops it here).
    const ok = await runDecnet(["teardown", "--name", "ws-01"], {
      home,
      env: { DOCKER_HOST: docker.url },
    });
    assert.equal(ok.code, 1, ok.stderr);
    assert.ok(docker.connections > 0);
  });
});

Deno.test("decnet exits 2 naming DECNET_DB_URL when its port is not a port", async () => {
  await withHome(async (home) => {
    const r = await runDecnet(["config", "show"], {
      home,
      env: { DECNET_DB_URL: "mysql://decnet:pw-s3cret@db.example:notaport/decnet" },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /DECNET_DB_URL: expected a port 1-65535 after the host/);
    assert.doesNotMatch(r.stderr + r.stdout, /s3cret/);
  });
});
