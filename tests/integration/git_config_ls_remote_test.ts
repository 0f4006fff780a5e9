import assert from "node:assert/strict";
import { generateArtifact } from "../../canary/mod.ts";
import { findBinary } from "../infra/find_binary.ts";

Deno.test({
  name: "git_config artifact: git ls-remote of origin reaches the callback path",
  ignore: !findBinary("git"),
  async fn() {
    const seen: string[] = [];
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => {
        const url = new URL(req.url);
        seen.push(url.pathname + url.search);
        return new Response("not found", { status: 404 });
      },
    );
    const context = {
      slug: "Ab3dEfGh1jKlMn_pQr-tUv",
      httpBase: `http://127.0.0.1:${server.addr.port}`,
      dnsZone: "",
      persona: { os: "linux" as const },
    };
    const artifact = await generateArtifact("git_config", context);
    const dir = await Deno.makeTempDir({ prefix: "git-bait-" });
    try {
      const git = (args: string[]) =>
        new Deno.Command(findBinary("git")!, {
          args,
          cwd: dir,
          env: { GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", HOME: dir },
          stdout: "piped",
          stderr: "piped",
        }).output();
      assert.equal((await git(["init", "-q"])).code, 0);
      await Deno.writeFile(`${dir}/.git/config`, artifact.bytes);
      const out = await git(["ls-remote", "origin"]);
      assert.notEqual(out.code, 0); // the listener answers 404: the bait only has to call
      assert.equal(seen.length >= 1, true);
      assert.match(
        seen[0],
        /^\/c\/Ab3dEfGh1jKlMn_pQr-tUv\/[a-z-]+\.git\/info\/refs\?service=git-upload-pack$/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
