import assert from "node:assert/strict";
import { loadConfig } from "../../../core/config/mod.ts";
import {
  LIBRARY_ENV_VARIABLES,
  restartDelayMs,
  workerPermissions,
} from "../../../core/workers/mod.ts";
import { buildWorkerRegistry } from "../../../cli/worker_registry.ts";
import { swarmFiles } from "../../../core/swarm/mod.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};
const config = loadConfig({ DECNET_HOME: "/srv/decnet" }, { readTextFile: noFile });
const registry = buildWorkerRegistry();
const permsOf = (name: string) =>
  workerPermissions(config, registry.get(name)!.needs(config), {
    modulePath: "/opt/decnet/main.js",
  });

Deno.test("workerPermissions() never grants run or ffi, and env only to library knobs", () => {
  for (const name of registry.names()) {
    const p = permsOf(name);
    assert.deepEqual(p.env, [...LIBRARY_ENV_VARIABLES], name);
    assert.equal(p.run, false, name);
    assert.equal(p.ffi, false, name);
    assert.ok(p.read.includes("/opt/decnet/main.js"), `${name} reads its own module`);
  }
});

Deno.test("workerPermissions() keeps the Docker socket from the attacker-facing canary worker", () => {
  const socket = "/var/run/docker.sock";
  for (const name of ["api", "orchestrator", "reconciler"]) {
    assert.ok(permsOf(name).read.includes(socket), name);
    assert.ok((permsOf(name).write || []).includes(socket), name);
  }
  for (const name of ["canary"]) {
    assert.ok(!permsOf(name).read.includes(socket), name);
    assert.ok(!(permsOf(name).write || []).includes(socket), name);
  }
});

Deno.test("workerPermissions() lets only api and canary listen, each on its own address", () => {
  const socket = "unix:/var/run/docker.sock";
  assert.deepEqual(permsOf("api").net, ["127.0.0.1", socket]);
  assert.deepEqual(permsOf("canary").net, ["0.0.0.0"]);
  // Deno.connect reaches a unix socket under the net permission "unix:<path>" (and read/write).
  assert.deepEqual(permsOf("orchestrator").net, [socket]);
  assert.deepEqual(permsOf("reconciler").net, [socket]);
});

Deno.test("workerPermissions() reaches MySQL by host:port instead of the SQLite folder", () => {
  const mysql = loadConfig({ DECNET_DB_URL: "mysql://u:p@192.0.2.5:3307/decnet" }, {
    readTextFile: noFile,
  });
  const p = workerPermissions(mysql, registry.get("reconciler")!.needs(mysql), {
    modulePath: null,
  });
  assert.deepEqual(p.net, ["192.0.2.5:3307", "unix:/var/run/docker.sock"]);
});

Deno.test("workerPermissions() grants SQLite's own files, not DECNET_HOME, which holds the JWT secret", () => {
  const files = ["", "-wal", "-shm", "-journal"].map((s) => `/srv/decnet/decnet.db${s}`);
  for (const name of ["orchestrator", "reconciler"]) {
    const p = permsOf(name);
    for (const file of files) {
      assert.ok(p.read.includes(file), `${name} reads ${file}`);
      assert.ok((p.write || []).includes(file), `${name} writes ${file}`);
    }
    assert.ok(!p.read.includes("/srv/decnet"), name);
    assert.ok(!(p.write || []).includes("/srv/decnet"), name);
  }
});

Deno.test("workerPermissions() lets every worker reach the NATS bus, and only its host:port", () => {
  const nats = loadConfig({
    DECNET_HOME: "/srv/decnet",
    DECNET_BUS_URL: "nats://bus:s3cret@192.0.2.7:4333",
  }, { readTextFile: noFile });
  for (const name of registry.names()) {
    const p = workerPermissions(nats, registry.get(name)!.needs(nats), { modulePath: null });
    // The canary worker's DNS listener may answer any peer (net: true) when DNS is on.
    assert.ok(p.net === true || (p.net && p.net.includes("192.0.2.7:4333")), name);
    assert.ok(!JSON.stringify(p).includes("s3cret"), `${name}: no credential in permissions`);
  }
  const defaultPort = loadConfig({ DECNET_BUS_URL: "tls://192.0.2.7" }, { readTextFile: noFile });
  const p = workerPermissions(defaultPort, registry.get("canary")!.needs(defaultPort), {
    modulePath: null,
  });
  assert.ok(Array.isArray(p.net) && p.net.includes("192.0.2.7:4222"));
});

Deno.test("restartDelayMs() doubles from the base up to the cap, with bounded jitter", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => restartDelayMs(n, () => 0)), [1000, 2000, 4000, 8000]);
  assert.equal(restartDelayMs(20, () => 0), 60_000);
  assert.equal(restartDelayMs(20, () => 1), 60_000);
  assert.equal(restartDelayMs(1, () => 1), 1200);
  assert.equal(restartDelayMs(2, () => 0, { baseMs: 10, maxMs: 15 }), 15);
});

Deno.test("workerPermissions() lets the reconciler write the state file and its temporary directory", () => {
  const p = permsOf("reconciler");
  const write = p.write || [];
  assert.ok(write.includes("/srv/decnet/decnet-state.json"));
  assert.ok(write.includes("/srv/decnet/.state-tmp"));
  assert.ok(!write.includes("/srv/decnet/jwt_secret"));
});

Deno.test("workerPermissions() on a master: no worker reads the trust chain (authority.json), only the master user's credentials", () => {
  const master = loadConfig({
    DECNET_HOME: "/srv/decnet",
    DECNET_MODE: "master",
    DECNET_SWARM_NATS_URL: "tls://192.0.2.8:4222",
    DECNET_SWARM_NATS_CA: "/etc/decnet/nats-ca.pem",
  }, { readTextFile: noFile });
  const files = swarmFiles("/srv/decnet");
  const masterRegistry = buildWorkerRegistry("master");
  const readers: string[] = [];
  for (const name of masterRegistry.names()) {
    // resolveNeeds only adds net grants (addresses a name resolves to, alert channels' hosts).
    const p = workerPermissions(master, masterRegistry.get(name)!.needs(master), {
      modulePath: null,
    });
    // A grant of a folder holding the file would grant the file too.
    const grants = (path: string) => p.read.some((r) => r === path || path.startsWith(`${r}/`));
    assert.ok(!grants(files.authority), `${name} may read ${files.authority}`);
    if (grants(files.masterCreds)) readers.push(name);
  }
  assert.deepEqual(readers.sort(), ["orchestrator", "swarm-master"]);
});

Deno.test("workerPermissions() lets a worker read decnet's code (its lazy imports), never write it", () => {
  for (const name of registry.names()) {
    const p = workerPermissions(config, registry.get(name)!.needs(config), {
      modulePath: "/opt/decnet/lib/decnet/worker_entries/x.js",
      codePaths: ["/opt/decnet/lib/decnet"],
    });
    assert.ok(p.read.includes("/opt/decnet/lib/decnet"), name);
    assert.ok(!(p.write || []).some((w) => w.startsWith("/opt/decnet")), name);
  }
});
