import assert from "node:assert/strict";
import { Logger } from "../../../core/log/mod.ts";
import { SnifferProcess } from "../../../core/sniffer/sniffer_process.ts";
import { waitUntil } from "../../infra/wait_until.ts";

function quietLog(lines: string[]): Logger {
  return new Logger({ level: "debug", sink: (_level, line) => lines.push(line) });
}

Deno.test("SnifferProcess restarts a child that exits, with backoff, until closed", async () => {
  const lines: string[] = [];
  const sniffer = new SnifferProcess({
    line: { command: "/bin/sh", args: ["-c", "exit 3"], env: {}, cwd: "/" },
    log: quietLog(lines),
    random: () => 0,
    backoff: { baseMs: 5, maxMs: 20 },
  });
  sniffer.start();
  await waitUntil(() => sniffer.status().restarts >= 3, { what: "three restarts" });
  await sniffer.close();
  assert.equal(sniffer.status().state, "stopped");
  assert.ok(
    lines.some((l) => /sniffer exited; restarting status="exit code 3"/.test(l)),
    lines.join("\n"),
  );
});

Deno.test("SnifferProcess.close() stops a running child with SIGTERM", async () => {
  const lines: string[] = [];
  const sniffer = new SnifferProcess({
    line: { command: "/bin/sleep", args: ["30"], env: {}, cwd: "/" },
    log: quietLog(lines),
  });
  sniffer.start();
  assert.equal(sniffer.status().state, "running");
  await sniffer.close();
  assert.equal(sniffer.status().restarts, 0);
  assert.ok(lines.some((l) => /sniffer stopped status="signal SIGTERM"/.test(l)), lines.join("\n"));
});
