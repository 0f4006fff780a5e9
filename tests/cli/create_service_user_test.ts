import assert from "node:assert/strict";
import { createServiceUser } from "../../cli/create_service_user.ts";
import { findBinary } from "../infra/find_binary.ts";

const notRoot = Deno.uid() !== 0 ? "needs root (creates users inside a temporary prefix)" : "";
const CONF = "/etc/sysusers.d/deco.conf";

async function prefixWithEntry(): Promise<string> {
  const prefix = await Deno.makeTempDir({ prefix: "service-user-" });
  await Deno.mkdir(`${prefix}/etc/sysusers.d`, { recursive: true });
  await Deno.writeTextFile(`${prefix}${CONF}`, 'u deco - "decnet control plane" /srv/deco -\n');
  return prefix;
}

function passwdLine(prefix: string): string | undefined {
  return Deno.readTextFileSync(`${prefix}/etc/passwd`).split("\n")
    .find((l) => l.startsWith("deco:"));
}

Deno.test({
  name: "createServiceUser() creates the user and group in the prefix with systemd-sysusers",
  ignore: !!notRoot || !findBinary("systemd-sysusers"),
  async fn() {
    const prefix = await prefixWithEntry();
    try {
      const options = { user: "deco", home: "/srv/deco", sysusersConf: CONF };
      assert.equal(await createServiceUser(prefix, options), "user     deco (systemd-sysusers)");
      assert.match(passwdLine(prefix)!, /^deco:x:\d+:\d+:decnet control plane:\/srv\/deco:/);
      assert.match(Deno.readTextFileSync(`${prefix}/etc/group`), /^deco:x:\d+:/m);
      // Again (an upgrade): nothing changes, nothing fails.
      const before = Deno.readTextFileSync(`${prefix}/etc/passwd`);
      await createServiceUser(prefix, options);
      assert.equal(Deno.readTextFileSync(`${prefix}/etc/passwd`), before);
    } finally {
      await Deno.remove(prefix, { recursive: true });
    }
  },
});

Deno.test({
  name: "createServiceUser() falls back to useradd --system when systemd-sysusers is missing",
  ignore: !!notRoot || !findBinary("useradd"),
  async fn() {
    const prefix = await prefixWithEntry();
    try {
      const options = {
        user: "deco",
        home: "/srv/deco",
        sysusersConf: CONF,
        programs: { sysusers: "decnet-test-no-such-sysusers", useradd: "useradd" },
      };
      assert.equal(await createServiceUser(prefix, options), "user     deco (useradd)");
      assert.match(passwdLine(prefix)!, /^deco:[^:]*:\d+:\d+::\/srv\/deco:\/usr\/sbin\/nologin$/);
      assert.match(Deno.readTextFileSync(`${prefix}/etc/group`), /^deco:[^:]*:\d+:/m);
      assert.equal(await createServiceUser(prefix, options), "user     deco (exists)");
      const neither = { ...options, programs: { sysusers: "decnet-x1", useradd: "decnet-x2" } };
      await Deno.writeTextFile(`${prefix}/etc/passwd`, "");
      assert.match(
        await createServiceUser(prefix, neither),
        /^note +could not start decnet-x1 or decnet-x2: create the system user deco/,
      );
    } finally {
      await Deno.remove(prefix, { recursive: true });
    }
  },
});
