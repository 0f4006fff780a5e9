import assert from "node:assert/strict";
import { CONFIG_VARIABLES } from "../../../core/config/mod.ts";
import { installFiles, renderEnvExample, renderUnits } from "../../../core/systemd/mod.ts";

/** The `Key=value` lines of one unit, as [key, value] pairs. */
function settings(content: string): [string, string][] {
  return content.split("\n")
    .filter((l) => /^[A-Za-z]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]);
}

function valuesOf(content: string, key: string): string[] {
  return settings(content).filter(([k]) => k === key).map(([, v]) => v);
}

const units = Object.fromEntries(renderUnits().map((u) => [u.name, u.content]));

Deno.test("renderUnits() renders the all-in-one, seven workers, the sniffer and the target", () => {
  assert.deepEqual(Object.keys(units).sort(), [
    "decnet-alerts.service",
    "decnet-api.service",
    "decnet-canary.service",
    "decnet-clusterer.service",
    "decnet-collector.service",
    "decnet-orchestrator.service",
    "decnet-reconciler.service",
    "decnet-sniffer.service",
    "decnet.service",
    "decnet.target",
  ]);
  assert.deepEqual(valuesOf(units["decnet.service"], "ExecStart"), ["/usr/local/bin/decnet up"]);
  assert.deepEqual(valuesOf(units["decnet-api.service"], "ExecStart"), [
    "/usr/local/bin/decnet api",
  ]);
  assert.deepEqual(valuesOf(units["decnet-canary.service"], "ExecStart"), [
    "/usr/local/bin/decnet canary --no-collector",
  ]);
  assert.deepEqual(valuesOf(units["decnet-collector.service"], "ExecStart"), [
    "/usr/local/bin/decnet collect",
  ]);
  assert.deepEqual(valuesOf(units["decnet-orchestrator.service"], "ExecStart"), [
    "/usr/local/bin/decnet orchestrate",
  ]);
  assert.deepEqual(valuesOf(units["decnet-reconciler.service"], "ExecStart"), [
    "/usr/local/bin/decnet reconcile",
  ]);
  assert.deepEqual(valuesOf(units["decnet-clusterer.service"], "ExecStart"), [
    "/usr/local/bin/decnet clusterer",
  ]);
  assert.deepEqual(valuesOf(units["decnet-alerts.service"], "ExecStart"), [
    "/usr/local/bin/decnet alerts run",
  ]);
  assert.deepEqual(valuesOf(units["decnet-sniffer.service"], "ExecStart"), [
    "/usr/local/bin/decnet sniffer",
  ]);
  // Opt-in: enabled on its own, never pulled in by the target.
  assert.deepEqual(valuesOf(units["decnet.target"], "Wants"), [
    "decnet-api.service decnet-canary.service decnet-collector.service decnet-orchestrator.service decnet-reconciler.service decnet-clusterer.service decnet-alerts.service",
  ]);
});

Deno.test("renderUnits() hardens every service", async (t) => {
  for (const [name, content] of Object.entries(units)) {
    if (!name.endsWith(".service")) continue;
    await t.step(name, () => {
      const s = new Map(settings(content));
      assert.equal(s.get("User"), "decnet");
      assert.equal(s.get("NoNewPrivileges"), "yes");
      assert.equal(s.get("ProtectSystem"), "strict");
      assert.equal(s.get("ReadWritePaths"), "/var/lib/decnet");
      assert.equal(s.get("ProtectHome"), "yes");
      assert.equal(s.get("PrivateTmp"), "yes");
      assert.equal(s.get("EnvironmentFile"), "-/etc/decnet/decnet.env");
      assert.equal(s.get("Environment"), "DECNET_HOME=/var/lib/decnet");
    });
  }
});

Deno.test("renderUnits() grants Docker and low ports only where needed", () => {
  const docker = Object.keys(units).filter((n) =>
    valuesOf(units[n], "SupplementaryGroups").includes("docker")
  );
  assert.deepEqual(docker.sort(), [
    "decnet-orchestrator.service",
    "decnet-reconciler.service",
    "decnet.service",
  ]);
  const lowPorts = Object.keys(units).filter((n) =>
    valuesOf(units[n], "AmbientCapabilities").includes("CAP_NET_BIND_SERVICE")
  );
  assert.deepEqual(lowPorts.sort(), ["decnet-canary.service", "decnet.service"]);
  const raw = Object.keys(units).filter((n) =>
    valuesOf(units[n], "CapabilityBoundingSet").some((v) => v.includes("CAP_NET_RAW"))
  );
  assert.deepEqual(raw, ["decnet-sniffer.service"]);
  assert.deepEqual(valuesOf(units["decnet-sniffer.service"], "AmbientCapabilities"), [
    "CAP_NET_RAW",
  ]);
  assert.deepEqual(valuesOf(units["decnet-sniffer.service"], "CapabilityBoundingSet"), [
    "CAP_NET_RAW",
  ]);
  for (const name of ["decnet-api.service", "decnet-orchestrator.service"]) {
    assert.deepEqual(valuesOf(units[name], "CapabilityBoundingSet"), [""], name);
  }
});

Deno.test("renderUnits() uses the given binary, user and home", () => {
  const [unit] = renderUnits({ binary: "/opt/d/bin/decnet", user: "deco", home: "/srv/deco/" });
  assert.deepEqual(valuesOf(unit.content, "ExecStart"), ["/opt/d/bin/decnet up"]);
  assert.deepEqual(valuesOf(unit.content, "User"), ["deco"]);
  assert.deepEqual(valuesOf(unit.content, "ReadWritePaths"), ["/srv/deco"]);
  // Only homes under /var/lib can be systemd state directories.
  assert.deepEqual(valuesOf(unit.content, "StateDirectory"), []);
});

Deno.test("renderUnits() rejects paths and users systemd would misread", async (t) => {
  const bad = [
    { binary: "decnet" },
    { binary: "/opt/my decnet" },
    { home: "/var/lib/%n" },
    { user: "Root!" },
    { user: "" },
  ];
  for (const options of bad) {
    await t.step(JSON.stringify(options), () => {
      assert.throws(() => renderUnits(options), TypeError);
    });
  }
});

Deno.test("renderEnvExample() lists every variable, commented out", () => {
  const text = renderEnvExample();
  for (const v of CONFIG_VARIABLES) assert.ok(text.includes(`\n#${v.name}=${v.example}\n`), v.name);
  assert.ok(text.includes("\n#DECNET_ENV_FILE="));
  // Nothing is set by default: every non-blank line is a comment.
  assert.ok(text.split("\n").every((l) => l === "" || l.startsWith("#")));
});

Deno.test("installFiles() keeps the env file to root and the service group, never replacing it", () => {
  const env = installFiles({ user: "deco" }).find((f) => f.path === "/etc/decnet/decnet.env");
  assert.equal(env?.mode, 0o640);
  assert.equal(env?.group, "deco");
  assert.equal(env?.replace, false);
  assert.equal(env?.movedFrom, "/etc/decnet/.env.local");
  const sysusers = installFiles({ user: "deco" }).find((f) => f.path.includes("sysusers"));
  assert.match(sysusers!.content, /^u deco - /m);
});
