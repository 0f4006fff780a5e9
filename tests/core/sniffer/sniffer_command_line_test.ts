import assert from "node:assert/strict";
import { snifferCommandLine } from "../../../core/sniffer/sniffer_command_line.ts";

const BASE = {
  execPath: "/usr/bin/deno",
  home: "/var/lib/decnet",
  logLevel: "info",
  libpcap: "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
  libc: "/usr/lib/x86_64-linux-gnu/libc.so.6",
};

Deno.test("snifferCommandLine() grants FFI to libpcap and libc, its journal and nothing of decnet's", () => {
  const line = snifferCommandLine({
    ...BASE,
    mainModule: "file:///opt/decnet/decnet.js",
    env: { HOME: "/root", DECNET_JWT_SECRET: "s3cret", DECNET_DB_URL: "mysql://u:p@db/d" },
  });
  assert.equal(line.command, "/usr/bin/deno");
  assert.deepEqual(line.args, [
    "run",
    "--quiet",
    "--no-prompt",
    "--allow-ffi=/usr/lib/x86_64-linux-gnu/libpcap.so.0.8,/usr/lib/x86_64-linux-gnu/libc.so.6",
    "--allow-read=/opt/decnet/decnet.js,/usr/lib/x86_64-linux-gnu/libpcap.so.0.8," +
    "/usr/lib/x86_64-linux-gnu/libc.so.6,/var/lib/decnet/spool/sniffer/targets.json," +
    "/var/lib/decnet/spool/sniffer/journal,/var/lib/decnet/spool/sniffer/status,/dev/null",
    "--allow-write=/var/lib/decnet/spool/sniffer/journal,/var/lib/decnet/spool/sniffer/status",
    "--allow-sys=networkInterfaces",
    "--allow-env",
    "/opt/decnet/decnet.js",
    "sniffer",
    "--stop-on-stdin-eof",
  ]);
  assert.ok(!line.args.some((a) => a.startsWith("--allow-net") || a.startsWith("--allow-run")));
  assert.deepEqual(line.env, {
    HOME: "/root",
    DECNET_HOME: "/var/lib/decnet",
    DECNET_LOG_LEVEL: "info",
    DECNET_SNIFFER_LIBPCAP: "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8",
    DECNET_ENV_FILE: "/dev/null",
  });
  assert.equal(line.cwd, "/var/lib/decnet/spool/sniffer/journal");
});

Deno.test("snifferCommandLine() passes deno.json when run from source", () => {
  const line = snifferCommandLine({ ...BASE, mainModule: "file:///src/decnet/main.ts" });
  assert.deepEqual(line.args.slice(3, 5), ["--config", "/src/decnet/deno.json"]);
});

Deno.test("snifferCommandLine() refuses a compiled binary, whose permissions are fixed", () => {
  assert.throws(
    () => snifferCommandLine({ ...BASE, mainModule: "file:///tmp/deno-compile-decnet/main.ts" }),
    TypeError,
  );
});

Deno.test("snifferCommandLine() hands the prober's settings on, and none when it is off", () => {
  const off = snifferCommandLine({ ...BASE, mainModule: "file:///opt/decnet/decnet.js" });
  assert.ok(!Object.keys(off.env).some((k) => k.startsWith("DECNET_PROBER")));
  const on = snifferCommandLine({
    ...BASE,
    mainModule: "file:///opt/decnet/decnet.js",
    prober: { allow: ["198.51.100.0/24", "203.0.113.9"], ports: [22, 443], ratePerMinute: 6 },
  });
  assert.deepEqual(
    Object.entries(on.env).filter(([k]) => k.startsWith("DECNET_PROBER")),
    [
      ["DECNET_PROBER", "on"],
      ["DECNET_PROBER_ALLOW", "198.51.100.0/24,203.0.113.9"],
      ["DECNET_PROBER_PORTS", "22,443"],
      ["DECNET_PROBER_RATE", "6"],
    ],
  );
});
