import assert from "node:assert/strict";
import { controlTopic, MemoryBus } from "../../../core/bus/mod.ts";
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

Deno.test("SnifferProcess.stop() keeps the child stopped until start()", async () => {
  const lines: string[] = [];
  await using sniffer = new SnifferProcess({
    line: { command: "/bin/sleep", args: ["30"], env: {}, cwd: "/" },
    log: quietLog(lines),
    random: () => 0,
    backoff: { baseMs: 5, maxMs: 20 },
  });
  sniffer.start();
  const first = sniffer.status().pid;
  await sniffer.stop();
  assert.deepEqual(sniffer.status(), { state: "stopped", restarts: 0, pid: null });
  sniffer.start();
  assert.equal(sniffer.status().state, "running");
  assert.notEqual(sniffer.status().pid, first);
  assert.equal(sniffer.status().restarts, 0, "a requested stop is no crash");
});

Deno.test("SnifferProcess obeys stop and start on system.sniffer.control, then asks for a report", async () => {
  const lines: string[] = [];
  const bus = new MemoryBus({ broadcast: false });
  const actions: string[] = [];
  using _sub = bus.subscribe(controlTopic("sniffer"), ({ payload }) => {
    actions.push(String(payload.action));
  });
  try {
    await using sniffer = new SnifferProcess({
      line: { command: "/bin/sleep", args: ["30"], env: {}, cwd: "/" },
      log: quietLog(lines),
      bus,
    });
    sniffer.start();
    const at = new Date().toISOString();
    bus.publish(controlTopic("sniffer"), { action: "stop", at, reason: "by admin" });
    // A start asked during the stop waits for it rather than being lost.
    bus.publish(controlTopic("sniffer"), { action: "start", at });
    await waitUntil(() => actions.filter((a) => a === "report").length === 2, {
      what: "a report after the stop and one after the start",
    });
    assert.deepEqual(actions, ["stop", "start", "report", "report"]);
    assert.equal(sniffer.status().state, "running");
    assert.ok(
      lines.some((l) => /sniffer stopped status="signal SIGTERM"/.test(l)),
      lines.join("\n"),
    );
    assert.equal(lines.filter((l) => /sniffer started/.test(l)).length, 2, lines.join("\n"));
    bus.publish(controlTopic("sniffer"), { action: "stop", at });
    await waitUntil(() => sniffer.status().state === "stopped", { what: "stopped again" });
  } finally {
    await bus.close();
  }
});
