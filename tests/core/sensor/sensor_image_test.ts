import assert from "node:assert/strict";
import { tarStream } from "../../../core/docker/mod.ts";
import {
  elfInterpreter,
  loadedLibraries,
  sensorImageChanges,
  sensorImageEntries,
  sensorProgramOf,
} from "../../../core/sensor/mod.ts";

const LOOKUPS = { size: () => 10, realPath: (p: string) => p.replace("/lib/", "/usr/lib/") };

Deno.test("sensorImageEntries() lays out runtime, program and libraries under neutral names", () => {
  const entries = sensorImageEntries(
    { kind: "bundle", runtime: "/opt/deno/deno", bundle: "/srv/decnet/dist/decnet.js" },
    {
      libraries: ["/lib/x86_64-linux-gnu/libc.so.6"],
      interpreter: "/lib64/ld-linux-x86-64.so.2",
      ...LOOKUPS,
    },
  );
  const paths = entries.map((e) => e.path);
  assert.deepEqual(paths.filter((_path, i) => entries[i].type === "file"), [
    "lib/x86_64-linux-gnu/libc.so.6",
    "lib64/ld-linux-x86-64.so.2",
    "usr/lib/netd/netd.js",
    "usr/sbin/netd",
  ]);
  assert.ok(paths.includes("tmp") && paths.includes("var/mail") && paths.includes("run/netd"));
  assert.deepEqual(paths.filter((p) => /decnet|deno/i.test(p)), []);
  const program = entries.find((e) => e.path === "usr/lib/netd/netd.js");
  assert.deepEqual(program, {
    type: "file",
    path: "usr/lib/netd/netd.js",
    mode: 0o644,
    source: "/srv/decnet/dist/decnet.js",
    size: 10,
  });
  const libc = entries.find((e) => e.path === "lib/x86_64-linux-gnu/libc.so.6");
  assert.equal(libc && "source" in libc && libc.source, "/usr/lib/x86_64-linux-gnu/libc.so.6");
});

Deno.test("sensorImageEntries() ships a warm runtime cache, owned by the sensor, under a neutral folder", async (t) => {
  const options = { libraries: [], interpreter: "/lib64/ld-linux-x86-64.so.2", ...LOOKUPS };
  const bundle = { kind: "bundle" as const, runtime: "/opt/deno/deno", bundle: "/srv/y.js" };
  await t.step("with a warmed cache folder", () => {
    const entries = sensorImageEntries(bundle, { ...options, cacheDir: "/tmp/deno-warm" });
    const cache = entries.filter((e) => e.path.startsWith("var/cache/netd"));
    assert.deepEqual(cache, [
      { type: "dir", path: "var/cache/netd", mode: 0o755, uid: 65534, gid: 8 },
      ...["dep_analysis_cache_v2", "node_analysis_cache_v2", "v8_code_cache_v2"].map((n) => ({
        type: "file",
        path: `var/cache/netd/${n}`,
        mode: 0o644,
        source: `/tmp/deno-warm/${n}`,
        size: 10,
        uid: 65534,
        gid: 8,
      })),
    ]);
    // Parents before children, as the archive needs them.
    const paths = entries.map((e) => e.path);
    assert.ok(paths.indexOf("var/cache") < paths.indexOf("var/cache/netd"));
    assert.deepEqual(paths.filter((p) => /decnet|deno/i.test(p)), []);
  });
  await t.step("without one: the folder only, writable by the sensor", () => {
    const cache = sensorImageEntries(bundle, options).filter((e) => e.path.startsWith("var/cache"));
    assert.deepEqual(cache.map((e) => [e.path, e.uid]), [["var/cache", undefined], [
      "var/cache/netd",
      65534,
    ]]);
  });
  await t.step("a compiled program has no runtime cache", () => {
    const entries = sensorImageEntries({ kind: "compiled", binary: "/x" }, {
      ...options,
      cacheDir: "/tmp/w",
    });
    assert.ok(!entries.some((e) => e.path.startsWith("var/cache")));
  });
  assert.ok(
    sensorImageChanges(bundle).includes("ENV DENO_DIR=/var/cache/netd"),
    "the runtime is pointed at the shipped cache",
  );
});

Deno.test("sensorImageChanges() runs the sensor as nobody:mail with no product name", async (t) => {
  await t.step("bundle", () => {
    const changes = sensorImageChanges({ kind: "bundle", runtime: "/x", bundle: "/y.js" });
    const entrypoint = JSON.parse(changes[0].replace(/^ENTRYPOINT /, ""));
    assert.equal(entrypoint[0], "/usr/sbin/netd");
    assert.deepEqual(entrypoint.slice(-2), ["/usr/lib/netd/netd.js", "sensor"]);
    assert.ok(
      entrypoint.includes("--allow-read=/usr/lib/netd/netd.js,/var/mail,/etc/netd,/run/netd"),
    );
    assert.ok(!entrypoint.some((a: string) => /^--allow-(all|write|env|run|ffi|sys)/.test(a)));
    // Network only as listed: the process is sandboxed by its flags and needs no Worker.
    assert.ok(entrypoint.includes("--allow-net=0.0.0.0,127.0.0.1,[::1]"));
    assert.ok(changes.includes("USER 65534:8"));
    assert.doesNotMatch(changes.join("\n"), /decnet/i);
  });
  await t.step("compiled", () => {
    const changes = sensorImageChanges({ kind: "compiled", binary: "/usr/local/bin/decnet" });
    assert.equal(changes[0], 'ENTRYPOINT ["/usr/sbin/netd","sensor"]');
    assert.doesNotMatch(changes.join("\n"), /decnet/i);
  });
});

Deno.test("sensorProgramOf() tells a bundle, a compiled binary and a source checkout apart", () => {
  assert.deepEqual(sensorProgramOf("file:///srv/dist/decnet.js", "/usr/bin/deno"), {
    kind: "bundle",
    runtime: "/usr/bin/deno",
    bundle: "/srv/dist/decnet.js",
  });
  assert.deepEqual(sensorProgramOf("file:///tmp/deno-compile-decnet/main.ts", "/usr/bin/decnet"), {
    kind: "compiled",
    binary: "/usr/bin/decnet",
  });
  assert.equal(sensorProgramOf("file:///srv/decnet/main.ts", "/usr/bin/deno"), undefined);
});

Deno.test("sensorProgramOf() takes the sensor's own bundle when it lies beside decnet's", () => {
  const isFile = (p: string) => p === "/srv/dist/decnet-sensor.js";
  assert.deepEqual(sensorProgramOf("file:///srv/dist/decnet.js", "/usr/bin/deno", { isFile }), {
    kind: "bundle",
    runtime: "/usr/bin/deno",
    bundle: "/srv/dist/decnet-sensor.js",
  });
});

Deno.test("loadedLibraries() and elfInterpreter() read what this runtime needs", () => {
  const libraries = loadedLibraries(Deno.readTextFileSync("/proc/self/maps"));
  assert.ok(libraries.some((l) => /\/libc\.so\.6$/.test(l)), libraries.join(" "));
  assert.ok(libraries.every((l) => l.startsWith("/") && /\.so(\.\d+)*$/.test(l)));
  const head = Deno.readFileSync(Deno.execPath()).subarray(0, 65536);
  assert.match(elfInterpreter(head), /^\/lib(64)?\/ld-linux.*\.so\.\d$/);
  assert.throws(
    () => elfInterpreter(new TextEncoder().encode("#!/bin/sh\n".repeat(10))),
    /64-bit ELF/,
  );
});

Deno.test("tarStream() writes a ustar archive that tar lists and extracts", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/src`, "x".repeat(1000));
    const long = `${"d".repeat(60)}/${"e".repeat(60)}/file`;
    const chunks: Uint8Array[] = [];
    for await (
      const chunk of tarStream([
        { type: "dir", path: "usr" },
        { type: "file", path: "usr/a", mode: 0o755, bytes: new TextEncoder().encode("hello") },
        { type: "file", path: "usr/b", source: `${dir}/src`, size: 1000 },
        { type: "file", path: long, bytes: new Uint8Array(0) },
      ])
    ) chunks.push(chunk);
    const archive = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const c of chunks) {
      archive.set(c, offset);
      offset += c.length;
    }
    assert.equal(archive.length % 512, 0);
    await Deno.writeFile(`${dir}/a.tar`, archive);
    await Deno.mkdir(`${dir}/out`);
    const tar = await new Deno.Command("tar", {
      args: ["-xvf", `${dir}/a.tar`, "-C", `${dir}/out`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(tar.code, 0, new TextDecoder().decode(tar.stderr));
    assert.equal(await Deno.readTextFile(`${dir}/out/usr/a`), "hello");
    assert.equal((await Deno.stat(`${dir}/out/usr/a`)).mode! & 0o777, 0o755);
    assert.equal((await Deno.readTextFile(`${dir}/out/usr/b`)).length, 1000);
    assert.equal((await Deno.stat(`${dir}/out/${long}`)).size, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
