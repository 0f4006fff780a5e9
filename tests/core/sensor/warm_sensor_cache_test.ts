// warmSensorCache() runs the real sensor bundle once and leaves the runtime's caches keyed by the
// bundle's path in the image, so a container started from it analyses nothing afresh.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SENSOR_CACHE_FILES, warmSensorCache } from "../../../core/sensor/mod.ts";
import { buildSensorBundle } from "../../../tools/build_bundle.ts";

Deno.test("warmSensorCache() fills the runtime's caches keyed by the in-image program path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bundle = await buildSensorBundle(dir);
    const cacheDir = `${dir}/cache`;
    await Deno.mkdir(cacheDir);
    await warmSensorCache({ runtime: Deno.execPath(), bundle, cacheDir });
    const files = [...Deno.readDirSync(cacheDir)].filter((e) => e.isFile).map((e) => e.name);
    // One file per database: no write-ahead log left beside it to lose.
    assert.deepEqual(files.sort(), [...SENSOR_CACHE_FILES]);
    const keys = (file: string, table: string) => {
      const db = new DatabaseSync(`${cacheDir}/${file}`, { readOnly: true });
      try {
        return db.prepare(`SELECT specifier FROM ${table} WHERE specifier LIKE 'file:%'`).all()
          .map((r) => r.specifier);
      } finally {
        db.close();
      }
    };
    assert.deepEqual(keys("dep_analysis_cache_v2", "moduleinfocache"), [
      "file:///usr/lib/netd/netd.js",
    ]);
    assert.deepEqual(keys("v8_code_cache_v2", "codecache"), ["file:///usr/lib/netd/netd.js"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("warmSensorCache() names the bundle when it does not load as the sensor", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.js`, "Deno.exit(3);\n");
    await assert.rejects(
      warmSensorCache({ runtime: Deno.execPath(), bundle: `${dir}/bad.js`, cacheDir: dir }),
      new RegExp(`Cannot warm sensor cache: ${dir}/bad\\.js exited with 3`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "warmSensorCache() refuses, naming the runtime, when it may not start it",
  permissions: { read: true, write: true, net: true, env: true, run: false },
  async fn() {
    await assert.rejects(
      warmSensorCache({ runtime: "/usr/bin/true", bundle: "/x.js", cacheDir: "/tmp" }),
      /Cannot warm sensor cache: runtime \/usr\/bin\/true expected in --allow-run/,
    );
  },
});
