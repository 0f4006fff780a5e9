import assert from "node:assert/strict";
import { generateArtifact } from "../../../canary/mod.ts";
import type { CanaryContext } from "../../../canary/mod.ts";

const context: CanaryContext = {
  slug: "Zq3k9x2LmP0aB7cD8eF1gH",
  httpBase: "https://updates.acme-corp.com",
  dnsZone: "",
  persona: { os: "linux", login: "ana" },
  issuedAt: "2026-11-18T14:00:00Z",
};

function hosts(bytes: Uint8Array): string[] {
  const text = new TextDecoder().decode(bytes);
  return [...text.matchAll(/^(?:DB_HOST|MAIL_HOST)=(.*)$|^REDIS_URL=redis:\/\/([^:]+)/gm)]
    .map((m) => m[1] ?? m[2]);
}

Deno.test("env_file names only hosts that resolve on the decky", async (t) => {
  await t.step("its peers when it has some", async () => {
    const peers = ["db-01", "files-02"];
    for (const slug of ["Aq3k9x2LmP0aB7cD8eF1gH", "Bq3k9x2LmP0aB7cD8eF1gH", context.slug]) {
      const env = await generateArtifact("env_file", { ...context, slug, peers });
      for (const host of hosts(env.bytes)) assert.ok(peers.includes(host), host);
    }
  });
  await t.step("the machine itself without peers", async () => {
    const env = await generateArtifact("env_file", context);
    const names = hosts(env.bytes);
    assert.equal(names.length, 3);
    for (const host of names) assert.ok(["127.0.0.1", "localhost"].includes(host), host);
    assert.doesNotMatch(new TextDecoder().decode(env.bytes), /\.internal\b/);
  });
});
