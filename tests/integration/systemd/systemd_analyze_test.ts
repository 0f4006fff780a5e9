import assert from "node:assert/strict";
import { findBinary } from "../../infra/find_binary.ts";
import { runDecnet } from "../../infra/run_decnet.ts";

const analyze = findBinary("systemd-analyze");

Deno.test({
  name: "decnet init renders units that `systemd-analyze verify` accepts",
  ignore: !analyze, // needs Debian package systemd
  async fn() {
    const prefix = await Deno.makeTempDir({ prefix: "decnet-units-" });
    try {
      // verify checks that ExecStart's binary exists: point it at a real executable.
      const binary = `${prefix}/bin/decnet`;
      await Deno.mkdir(`${prefix}/bin`);
      await Deno.writeTextFile(binary, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
      const run = await runDecnet(["init", "--prefix", prefix, "--binary", binary]);
      assert.equal(run.code, 0, run.stderr);
      const dir = `${prefix}/etc/systemd/system`;
      const units = [...Deno.readDirSync(dir)].map((e) => `${dir}/${e.name}`).sort();
      // decnet.service, decnet.target, seven workers and the opt-in sniffer.
      assert.equal(units.length, 10);
      const out = await new Deno.Command(analyze!, {
        args: ["verify", "--man=no", ...units],
        env: { SYSTEMD_LOG_LEVEL: "notice" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder();
      const report = text.decode(out.stdout) + text.decode(out.stderr);
      assert.ok(out.success, report);
      // verify only warns (exit 0) about unknown keys or bad values: any line is a failure.
      assert.equal(report.trim(), "", report);
    } finally {
      await Deno.remove(prefix, { recursive: true });
    }
  },
});
