import assert from "node:assert/strict";
import { warmBundleCache } from "../../cli/warm_bundle_cache.ts";
import { findBinary } from "../infra/find_binary.ts";

const NOBODY = 65534;
const ignore = Deno.uid() !== 0
  ? "needs root (to drop to another user)"
  : findBinary("setpriv")
  ? false
  : "setpriv not installed (util-linux)";

/** A two-module program, readable by everyone (as the installed lib/ is). */
async function program(dir: string): Promise<string> {
  await Deno.mkdir(`${dir}/lib/part`, { recursive: true });
  await Deno.writeTextFile(`${dir}/lib/part/part.js`, "export const part = 1;\n");
  await Deno.writeTextFile(
    `${dir}/lib/decnet.js`,
    'import { part } from "./part/part.js";\nconsole.log(part);\n',
  );
  return `${dir}/lib/decnet.js`;
}

Deno.test({
  name: "warmBundleCache() leaves the bundle's analysis in the service user's own Deno cache",
  ignore: ignore !== false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "warm-cache-" });
    try {
      await Deno.chmod(dir, 0o755);
      const bundle = await program(dir);
      const home = `${dir}/home`;
      const line = await warmBundleCache({
        runtime: Deno.execPath(),
        bundle,
        uid: NOBODY,
        gid: NOBODY,
        home,
      });
      assert.equal(line, `cache    ${home}/.cache/deno (${bundle} analysed for the first start)`);
      // Created as systemd's StateDirectory= would, and the cache is the user's to write.
      const stat = await Deno.stat(home);
      assert.deepEqual([stat.uid, stat.gid, stat.mode! & 0o777], [NOBODY, NOBODY, 0o750]);
      const analysis = await Deno.stat(`${home}/.cache/deno/dep_analysis_cache_v2`);
      assert.equal(analysis.uid, NOBODY);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "warmBundleCache() throws naming the bundle and the uid when deno cache fails",
  ignore: ignore !== false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "warm-cache-" });
    try {
      await Deno.chmod(dir, 0o755);
      const bundle = `${dir}/lib/missing.js`;
      await assert.rejects(
        warmBundleCache({ runtime: Deno.execPath(), bundle, uid: NOBODY, gid: NOBODY, home: dir }),
        new RegExp(
          `^Error: Cannot cache ${bundle} as uid ${NOBODY} \\(exit 1\\): .*missing\\.js`,
          "s",
        ),
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
