// DECNET_ADMIN_PASSWORD is checked where it is used: creating the first admin.
// A fresh install with a common one does not start (exit 2 naming the
// variable); an install whose users exist starts whatever it says, and
// `decnet config show` works either way.
import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";

const WEAK = "Password2024!";
const ENV = { DECNET_ADMIN_PASSWORD: WEAK, DECNET_API_PORT: "0", DECNET_API_BIND: "127.0.0.1" };

Deno.test("a common DECNET_ADMIN_PASSWORD stops a fresh install only", async (t) => {
  const home = await Deno.makeTempDir({ prefix: "admin-password-" });
  try {
    for (const args of [["up", "--only", "api"], ["api"]]) {
      await t.step(
        `decnet ${args.join(" ")} exits 2 naming the variable on a fresh install`,
        async () => {
          const r = await runDecnet(args, { home, env: ENV });
          assert.equal(r.code, 2, r.stderr);
          assert.match(
            r.stderr,
            /Bad configuration:\n {2}Cannot create the first admin from DECNET_ADMIN_PASSWORD: expected a password that is not one of the 10,000 most common/,
          );
          assert.doesNotMatch(r.stderr + r.stdout, /Password2024/);
        },
      );
    }
    await t.step("decnet config show works with it", async () => {
      const r = await runDecnet(["config", "show", "--json"], { home, env: ENV });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).DECNET_ADMIN_PASSWORD, "********");
    });
    await t.step("once a user exists, decnet up starts and ignores it", async () => {
      const add = await runDecnet(["user", "add", "ops", "--role", "admin"], {
        home,
        stdin: "a-long-unusual-passphrase\n",
      });
      assert.equal(add.code, 0, add.stderr);
      await using proc = spawnDecnet(["up", "--only", "api"], {
        cwd: home,
        env: { ...ENV, DECNET_HOME: home },
      });
      await proc.waitForLine(/listening on http:\/\//);
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
