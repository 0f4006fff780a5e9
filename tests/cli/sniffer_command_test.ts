import assert from "node:assert/strict";
import { findLibrary, LIBPCAP_NAME } from "../../core/sniffer/libpcap.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";

Deno.test({
  name: `decnet sniffer --stop-on-stdin-eof stops cleanly once its parent's pipe closes${
    findLibrary(LIBPCAP_NAME) ? "" : " (skipped: libpcap0.8 not installed)"
  }`,
  ignore: !findLibrary(LIBPCAP_NAME),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const home = await Deno.makeTempDir({ prefix: "sniffer-stdin-" });
    try {
      // spawnDecnet gives it /dev/null as stdin: closed from the start, as if decnet up were killed.
      await using proc = spawnDecnet(["sniffer", "--stop-on-stdin-eof"], {
        cwd: home,
        env: { DECNET_HOME: home },
      });
      const status = await proc.status;
      assert.equal(status.code, 0);
      assert.ok(
        proc.lines.some((l) => /stopping reason="stdin closed"/.test(l)),
        proc.lines.join("\n"),
      );
      assert.ok(proc.lines.some((l) => /sniffer stopped /.test(l)));
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
