import assert from "node:assert/strict";
import { CONFIG_VARIABLES, loadConfig } from "../../core/config/mod.ts";
import type { Config } from "../../core/config/mod.ts";
import { scopedConfig } from "../../core/workers/mod.ts";
import { buildWorkerRegistry, selectUpWorkers } from "../../cli/worker_registry.ts";
import { CliError } from "../../cli/cli_error.ts";

/** Fields that must reach only the workers that need them. */
const SECRET_KEYS = new Set<keyof Config>([
  ...CONFIG_VARIABLES.filter((v) => v.secret).map((v) => v.key),
  "dbUrl",
  "jwtSecret",
]);

/** Which secrets each worker receives; anything more fails here and needs a reason. */
const SECRETS_BY_WORKER: Record<string, (keyof Config)[]> = {
  // Signs sessions, creates the first admin, serves from the database.
  api: ["adminPassword", "dbUrl", "jwtSecret"],
  // The attacker-facing worker: no secret at all (it journals triggers; the collector stores them).
  canary: [],
  collector: ["dbUrl"],
  // The LLM key: realism bodies from an OpenAI-compatible server.
  orchestrator: ["dbUrl", "realismApiKey"],
  reconciler: ["dbUrl"],
  clusterer: ["dbUrl"],
  // Channel credentials (HMAC keys, SMTP passwords) come from the database, not the configuration.
  alerts: ["dbUrl"],
  // The master's side of the swarm: agents' batches go into the database.
  "swarm-master": ["dbUrl"],
  // The swarm agent's workers: no database URL, no JWT secret, no password.
  "agent-collector": [],
  "agent-reconciler": [],
  agent: [],
};

Deno.test("buildWorkerRegistry() hands each worker only the secrets it needs", () => {
  const config = loadConfig({
    DECNET_JWT_SECRET: "j".repeat(40),
    DECNET_ADMIN_PASSWORD: "admin-password-1",
    DECNET_DB_URL: "mysql://decnet:db-password@192.0.2.5:3306/decnet",
    DECNET_REALISM_API_KEY: "llm-key",
    DECNET_BUS_URL: "nats://bus:bus-password@192.0.2.6:4222",
  }, {
    readTextFile: () => {
      throw new Deno.errors.NotFound("none");
    },
  });
  // The bus URL is handed to a worker only as its NATS connection, never in its configuration.
  assert.ok(SECRET_KEYS.has("busUrl"));
  const registry = buildWorkerRegistry();
  assert.deepEqual(registry.names(), Object.keys(SECRETS_BY_WORKER));
  for (const definition of registry.list()) {
    const received = Object.keys(scopedConfig(definition, config)) as (keyof Config)[];
    assert.deepEqual(
      received.filter((k) => SECRET_KEYS.has(k)).sort(),
      SECRETS_BY_WORKER[definition.name],
      definition.name,
    );
  }
});

Deno.test("buildWorkerRegistry() runs the mode's workers: standalone and master the control plane, agent none of its secrets", () => {
  const standalone = [
    "api",
    "canary",
    "collector",
    "orchestrator",
    "reconciler",
    "clusterer",
    "alerts",
  ];
  assert.deepEqual(buildWorkerRegistry("standalone").names(), standalone);
  assert.deepEqual(buildWorkerRegistry("master").names(), [...standalone, "swarm-master"]);
  assert.deepEqual(buildWorkerRegistry("agent").names(), [
    "canary",
    "agent-collector",
    "agent-reconciler",
    "agent",
  ]);
  const config = loadConfig({}, {
    readTextFile: () => {
      throw new Deno.errors.NotFound("none");
    },
  });
  for (const definition of buildWorkerRegistry("agent").list()) {
    const keys: readonly string[] = definition.configKeys;
    for (const secret of ["dbUrl", "jwtSecret", "adminPassword", "busUrl"]) {
      assert.ok(!keys.includes(secret), `${definition.name} receives ${secret}`);
    }
    assert.equal(definition.needs(config).database, false, definition.name);
  }
});

Deno.test("selectUpWorkers() narrows the mode's workers with --only or --skip", () => {
  assert.deepEqual(selectUpWorkers("agent"), [
    "canary",
    "agent-collector",
    "agent-reconciler",
    "agent",
  ]);
  assert.deepEqual(selectUpWorkers("agent", { skip: ["canary", "agent-collector"] }), [
    "agent-reconciler",
    "agent",
  ]);
  assert.deepEqual(selectUpWorkers("standalone", { only: ["alerts", "api"] }), ["api", "alerts"]);
});

Deno.test("selectUpWorkers() refuses a worker of another mode, both flags, or nothing left (exit 2)", () => {
  const usage = (message: RegExp) => (e: unknown) =>
    e instanceof CliError && e.exitCode === 2 && message.test(e.message);
  assert.throws(
    () => selectUpWorkers("agent", { only: ["api"] }),
    usage(
      /Cannot select api: not a worker of DECNET_MODE=agent \(its workers: canary, agent-collector, agent-reconciler, agent\)/,
    ),
  );
  assert.throws(
    () => selectUpWorkers("standalone", { skip: ["agent"] }),
    usage(/not a worker of DECNET_MODE=standalone/),
  );
  assert.throws(
    () => selectUpWorkers("master", { only: ["api"], skip: ["canary"] }),
    usage(/--only or --skip, not both/),
  );
  assert.throws(
    () =>
      selectUpWorkers("agent", {
        skip: ["canary", "agent-collector", "agent-reconciler", "agent"],
      }),
    usage(/No worker left/),
  );
});
