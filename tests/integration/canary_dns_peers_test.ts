import assert from "node:assert/strict";
import { createRepositories } from "../../core/db/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { createNetns, netnsUnavailable } from "../infra/netns.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { startUnbound, unboundUnavailable } from "../infra/unbound.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { dig, insertToken, openUpDatabase, waitForSlug } from "./_canary_up.ts";

const ZONE = "t.example.net";
const SLUG = "Pe3rAnsw3rTesTq9Zx1Yw2";
const skip = findBinary("dig") ? netnsUnavailable() : "dig not installed (bind9-dnsutils)";

/** Dig args for one query from `from`, over UDP or TCP. */
function query(server: string, port: string, transport: "udp" | "tcp", name: string): string[] {
  return [`@${server}`, "-p", port, ...(transport === "tcp" ? ["+tcp"] : []), "+short", name, "A"];
}

for (const bind of ["0.0.0.0", "specific"] as const) {
  Deno.test({
    name:
      `decnet up answers DNS over UDP and TCP to peers other than its bind address (bind ${bind})`,
    ignore: skip !== undefined,
    async fn(t) {
      const cwd = await Deno.makeTempDir({ prefix: "dns-peers-" });
      await using ns = await createNetns();
      const address = bind === "0.0.0.0" ? "0.0.0.0" : ns.hostAddress;
      try {
        await using proc = spawnDecnet(["up", "--only", "canary,collector"], {
          cwd,
          env: {
            DECNET_CANARY_HTTP_BIND: "127.0.0.1",
            DECNET_CANARY_HTTP_PORT: "0",
            DECNET_CANARY_DNS_BIND: address,
            DECNET_CANARY_DNS_PORT: "0",
            DECNET_CANARY_DNS_ZONE: ZONE,
            DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
          },
        });
        const [, port] = await proc.waitForLine(/Canary DNS listening on [\d.]+:(\d+)/);
        await using db = await openUpDatabase(cwd);
        await insertToken(db, SLUG);
        // Reached from this host at the address each source can route to.
        const server = bind === "0.0.0.0" ? "127.0.0.1" : ns.hostAddress;
        await waitForSlug(server, port, `${SLUG}.${ZONE}`);
        for (const transport of ["udp", "tcp"] as const) {
          await t.step(`${transport} from 127.0.9.9`, async () => {
            const out = await dig([
              "-b",
              "127.0.9.9",
              ...query(server, port, transport, `a.${SLUG}.${ZONE}`),
            ]);
            assert.equal(out.trim(), "10.20.0.80");
          });
          await t.step(`${transport} from ${ns.nsAddress} in a network namespace`, async () => {
            const out = await dig(
              query(ns.hostAddress, port, transport, `b.${SLUG}.${ZONE}`),
              [findBinary("ip")!, "netns", "exec", ns.name],
            );
            assert.equal(out.trim(), "10.20.0.80");
          });
        }
        assert.ok(
          proc.lines.every((l) => !l.includes("NotCapable")),
          "no reply was refused by the worker's permissions",
        );
      } finally {
        await Deno.remove(cwd, { recursive: true });
      }
    },
  });
}

Deno.test({
  name: "decnet up in its default configuration resolves a bait name through a real unbound",
  ignore: unboundUnavailable() !== undefined,
  async fn() {
    const cwd = await Deno.makeTempDir({ prefix: "dns-unbound-" });
    try {
      // Default binds (0.0.0.0 for both listeners); ports picked free so parallel tests never clash.
      await using proc = spawnDecnet(["up"], {
        cwd,
        env: {
          DECNET_API_PORT: "0",
          DECNET_CANARY_HTTP_PORT: "0",
          DECNET_CANARY_DNS_PORT: "0",
          DECNET_CANARY_DNS_ZONE: ZONE,
          DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
        },
      });
      const [, port] = await proc.waitForLine(/Canary DNS listening on 0\.0\.0\.0:(\d+)/);
      await using db = await openUpDatabase(cwd);
      const uuid = await insertToken(db, SLUG);
      await waitForSlug("127.0.0.1", port, `probe.${SLUG}.${ZONE}`);
      await using unbound = await startUnbound({ stubZone: ZONE, stubPort: Number(port) });
      const out = await dig([
        `@127.0.0.1`,
        "-p",
        String(unbound.port),
        "+short",
        `x.${SLUG}.${ZONE}`,
      ]);
      assert.equal(out.trim(), "10.20.0.80");
      const { canary } = createRepositories(db);
      await waitUntil(async () => {
        const { items } = await canary.listTriggers(uuid, { limit: 10, offset: 0 });
        return items.some((i) => i.dns_qname?.toLowerCase() === `x.${SLUG}.${ZONE}`.toLowerCase());
      }, { what: "the resolver's query stored as a trigger" });
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
