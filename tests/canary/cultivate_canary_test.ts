import assert from "node:assert/strict";
import {
  CanaryRequirementError,
  CONTENT_CLASS_GENERATORS,
  contextFromToken,
  cultivateCanary,
  generateArtifact,
} from "../../canary/mod.ts";

const config = { canaryHttpBase: "https://cdn.example.net", canaryDnsZone: "t.example.net" };
const now = new Date("2026-03-10T12:00:00Z");
function counterRandom(): (b: Uint8Array) => Uint8Array {
  let n = 0;
  return (b) => b.map(() => n++ % 62);
}

Deno.test("cultivateCanary() returns the artifact, its path and the token row", async () => {
  const out = await cultivateCanary("canary_git_config", {
    config,
    persona: { os: "linux", login: "jdoe", name: "Jane Doe" },
    now,
    fillRandom: counterRandom(),
    deckyName: "web-01",
    deckyUuid: "11111111-2222-4333-8444-555555555555",
  });
  const slug = "ABCDEFGHIJKLMNOPQRSTUV";
  assert.match(out.path, /^~\/([a-z]+\/)?[a-z-]+\/\.git\/config$/);
  assert.equal(out.path, out.artifact.defaultPath);
  assert.match(new TextDecoder().decode(out.artifact.bytes), new RegExp(`/c/${slug}/`));
  assert.deepEqual(out.token, {
    uuid: out.token.uuid,
    callback_token: slug,
    callback_token_lc: slug.toLowerCase(),
    kind: "http",
    generator: "git_config",
    blob_uuid: null,
    content_class: "canary_git_config",
    decky_name: "web-01",
    decky_uuid: "11111111-2222-4333-8444-555555555555",
    placement_path: out.path,
    persona: JSON.stringify({ os: "linux", login: "jdoe", name: "Jane Doe" }),
    http_base: "https://cdn.example.net",
    dns_zone: "t.example.net",
    state: "issued",
    trigger_count: 0,
    suppressed_count: 0,
    pruned_count: 0,
    decky_host: null,
    last_triggered_at: null,
    last_error: null,
    created_at: "2026-03-10T12:00:00.000Z",
    updated_at: "2026-03-10T12:00:00.000Z",
  });
  assert.match(
    out.token.uuid,
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
});

Deno.test("cultivateCanary() maps every canary content class and re-derives from the row", async (t) => {
  for (const [contentClass, generator] of Object.entries(CONTENT_CLASS_GENERATORS)) {
    await t.step(contentClass, async () => {
      const out = await cultivateCanary(contentClass, { config, persona: { os: "windows" }, now });
      assert.equal(out.token.generator, generator);
      assert.equal(out.artifact.generator, generator);
      const again = await generateArtifact(generator, contextFromToken(out.token));
      assert.deepEqual(again.bytes, out.artifact.bytes);
    });
  }
});

Deno.test("cultivateCanary() raises CanaryRequirementError without a zone for mysql_dump", async () => {
  await assert.rejects(
    cultivateCanary("canary_mysql_dump", {
      config: { ...config, canaryDnsZone: "" },
      persona: { os: "linux" },
      now,
    }),
    (e) => e instanceof CanaryRequirementError && e.requirement === "dns_zone",
  );
});

Deno.test("cultivateCanary() honours a valid operator path and refuses a bad one", async () => {
  const ok = await cultivateCanary("canary_aws_creds", {
    config,
    persona: { os: "linux" },
    now,
    placementPath: "/root/.aws/credentials",
  });
  assert.equal(ok.path, "/root/.aws/credentials");
  assert.equal(ok.token.placement_path, "/root/.aws/credentials");
  await assert.rejects(
    cultivateCanary("canary_aws_creds", {
      config,
      persona: { os: "linux" },
      now,
      placementPath: "a/../b",
    }),
    TypeError,
  );
});

Deno.test("cultivateCanary() refuses a content class that is not a canary", async () => {
  await assert.rejects(
    cultivateCanary("meeting_notes", { config, persona: { os: "linux" }, now }),
    RangeError,
  );
});
