// The worker table's stop/start of the sniffer, through the real product: `decnet up` with
// DECNET_SNIFFER=on, the admin's POST /api/v1/workers/sniffer/stop ends the sniffer child
// (it stays down, no restart) and the table says "stopped"; .../start runs it again and the
// table says "running".
import assert from "node:assert/strict";
import { findLibrary, LIBPCAP_NAME } from "../../core/sniffer/libpcap.ts";
import { signInAdmin } from "../infra/sign_in_admin.ts";
import { spawnSnifferUp } from "../infra/spawn_sniffer_up.ts";
import { waitUntil } from "../infra/wait_until.ts";

const unavailable = findLibrary(LIBPCAP_NAME) ? undefined : "libpcap0.8 not installed";
const ADMIN_PASSWORD = "sniffer-control-passphrase-7q2w";

Deno.test({
  name: `the worker table's stop and start stop and start the sniffer child of decnet up${
    unavailable ? ` (skipped: ${unavailable})` : ""
  }`,
  ignore: unavailable !== undefined,
  async fn() {
    const home = await Deno.makeTempDir({ prefix: "sniffer-control-" });
    try {
      const up = await spawnSnifferUp(home, { adminPassword: ADMIN_PASSWORD });
      await using proc = up.proc;
      const api = up.api;
      const admin = await signInAdmin(api, ADMIN_PASSWORD);
      type Worker = { name: string; state: string };
      const snifferState = async () =>
        (await admin.get<{ items: Worker[] }>("/api/v1/workers")).items
          .find((w) => w.name === "sniffer")?.state;
      const control = async (action: "stop" | "start") => {
        const res = await fetch(`${api}/api/v1/workers/sniffer/${action}`, {
          method: "POST",
          headers: admin.headers,
        });
        assert.equal(res.status, 202, await res.clone().text());
        await res.body?.cancel();
      };
      await waitUntil(async () => await snifferState() === "running", {
        what: "the sniffer running in the worker table",
      });

      await control("stop");
      await proc.waitForLine(/\[sniffer\] sniffer stopped /);
      await waitUntil(async () => await snifferState() === "stopped", {
        what: "the sniffer stopped in the worker table",
      });
      // Stopped on request is no crash: nothing restarts it.
      assert.ok(
        !proc.lines.some((l) => /sniffer exited; restarting/.test(l)),
        proc.lines.join("\n"),
      );
      const runs = () => proc.lines.filter((l) => /\[sniffer\] sniffer running/.test(l)).length;
      assert.equal(runs(), 1);

      await control("start");
      await waitUntil(() => runs() === 2, { what: "the sniffer running again" });
      await waitUntil(async () => await snifferState() === "running", {
        what: "the sniffer running again in the worker table",
      });
      assert.equal((await proc.close()).code, 0);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
