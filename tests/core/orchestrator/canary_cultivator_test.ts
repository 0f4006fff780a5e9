import assert from "node:assert/strict";
import { canaryCultivator } from "../../../core/orchestrator/mod.ts";
import type { RunningDecky } from "../../../core/db/mod.ts";
import { makePersona } from "../../realism/_fixtures.ts";

const decky: RunningDecky = {
  uuid: "00000000-0000-4000-8000-000000000001",
  name: "ws-01",
  source: "fleet",
  hostUuid: "local",
  services: ["ssh"],
  ip: "192.0.2.11",
  osPersona: "linux",
};
const now = new Date("2026-11-18T14:00:00Z");

Deno.test("canaryCultivator() turns a canary class into bait with its token row", async (t) => {
  const cultivate = canaryCultivator({
    canaryHttpBase: "http://192.0.2.1:8088",
    canaryDnsZone: "",
    canaryAllowLocal: true,
  });
  await t.step("ssh key: home resolved, mode and backdate from the artifact", async () => {
    const bait = await cultivate("canary_ssh_key", {
      persona: makePersona(),
      login: "ana",
      decky,
      now,
    });
    assert.ok(bait);
    assert.match(bait.path, /^\/home\/ana\//);
    assert.equal(bait.mode & 0o077, 0, "a private key is not group/world readable");
    assert.ok(bait.mtime.getTime() < now.getTime());
    assert.equal(bait.token.content_class, "canary_ssh_key");
    assert.equal(bait.token.decky_uuid, decky.uuid);
    assert.equal(bait.token.placement_path, bait.path);
    assert.equal(bait.token.state, "issued");
    assert.doesNotMatch(new TextDecoder().decode(bait.bytes), /decnet/i);
  });
  await t.step("a git config comes with the rest of its repository", async () => {
    const bait = await cultivate("canary_git_config", {
      persona: makePersona(),
      login: "ana",
      home: "/srv/home/ana",
      decky,
      now,
    });
    assert.ok(bait?.companions);
    assert.equal(`${bait.companions.root}/.git/config`, bait.path);
    assert.match(bait.companions.root, /^\/srv\/home\/ana\//);
    const paths = bait.companions.files.map((f) => f.path);
    for (const p of [".git/HEAD", ".git/index"]) assert.ok(paths.includes(p), p);
    assert.ok(paths.some((p) => p.startsWith(".git/objects/")));
    assert.ok(bait.companions.files.every((f) => f.mtime.getTime() <= bait.mtime.getTime()));
  });
  await t.step("root's home is /root", async () => {
    const bait = await cultivate("canary_env_file", {
      persona: makePersona(),
      login: "root",
      decky,
      now,
    });
    assert.match(bait!.path, /^\/root\//);
  });
  await t.step(
    "an HTTP bait with a documentation-range base gives null without the override",
    async () => {
      const strict = canaryCultivator({
        canaryHttpBase: "http://192.0.2.1:8088",
        canaryDnsZone: "",
      });
      const context = { persona: makePersona(), login: "ana", decky, now };
      assert.equal(await strict("canary_env_file", context), null);
      assert.ok(await strict("canary_ssh_key", context), "bait without a URL is unaffected");
    },
  );
  await t.step("a generator needing a DNS zone gives null without one", async () => {
    assert.equal(
      await cultivate("canary_mysql_dump", { persona: makePersona(), login: "ana", decky, now }),
      null,
    );
  });
});
