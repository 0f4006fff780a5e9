import assert from "node:assert/strict";
import { createRepositories, openDatabase } from "../../core/db/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { waitForSlug } from "./_canary_up.ts";

const SLUG = "Qx3_kP9vLm2TzR8wNc5dYa";

Deno.test({
  name:
    "decnet up records HTTP and DNS callbacks of an active token through the canary and collector workers",
  ignore: !findBinary("dig"),
  async fn() {
    const cwd = await Deno.makeTempDir({ prefix: "canary-up-" });
    try {
      await using proc = spawnDecnet(["up", "--only", "canary,collector"], {
        cwd,
        env: {
          DECNET_CANARY_HTTP_BIND: "127.0.0.1",
          DECNET_CANARY_HTTP_PORT: "0",
          DECNET_CANARY_DNS_BIND: "127.0.0.1",
          DECNET_CANARY_DNS_PORT: "0",
          DECNET_CANARY_DNS_ZONE: "t.example.net",
          DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
        },
      });
      const [, httpPort] = await proc.waitForLine(/Canary HTTP listening on [\d.]+:(\d+)/);
      const [, dnsPort] = await proc.waitForLine(/Canary DNS listening on [\d.]+:(\d+)/);
      await using handle = await openDatabase(`sqlite:${cwd}/var/decnet.db`);
      const repos = createRepositories(handle);
      const token = await repos.canary.insertToken({
        uuid: crypto.randomUUID(),
        callback_token: SLUG,
        kind: "http",
        generator: "git_config",
        blob_uuid: null,
        content_class: null,
        decky_name: null,
        decky_uuid: null,
        placement_path: null,
        persona: null,
        http_base: `http://127.0.0.1:${httpPort}`,
        dns_zone: "t.example.net",
        state: "issued",
        trigger_count: 0,
        last_triggered_at: null,
        last_error: null,
      });
      // The collector hands the token to the listeners through the spool's snapshot.
      await waitForSlug("127.0.0.1", dnsPort, `${SLUG}.t.example.net`);
      const res = await fetch(
        `http://127.0.0.1:${httpPort}/c/${SLUG}/info/refs?service=git-upload-pack`,
        {
          headers: { "user-agent": "git/2.39.5" },
        },
      );
      assert.equal(res.status, 200);
      assert.equal((await res.arrayBuffer()).byteLength, 43);
      const dig = await new Deno.Command("dig", {
        args: [
          "+short",
          "+tries=1",
          "+time=2",
          "-p",
          dnsPort,
          "@127.0.0.1",
          `data.${SLUG.toUpperCase()}.t.example.net`,
          "A",
        ],
        stdout: "piped",
      }).output();
      assert.equal(new TextDecoder().decode(dig.stdout).trim(), "10.20.0.80");
      await waitUntil(async () => (await repos.canary.getToken(token.uuid))?.trigger_count === 3, {
        what: "three triggers stored (the readiness probe included)",
      });
      const { items } = await repos.canary.listTriggers(token.uuid, { limit: 10, offset: 0 });
      const http = items.find((t) => t.request_path !== null)!;
      assert.equal(http.user_agent, "git/2.39.5");
      assert.equal(http.src_ip, "127.0.0.1");
      const dns = items.find((t) => t.dns_qname?.startsWith("data."))!;
      assert.equal(dns.dns_qname, `data.${SLUG.toUpperCase()}.t.example.net`);
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
