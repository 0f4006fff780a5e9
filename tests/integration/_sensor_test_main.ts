// The sensor entry of decnet with a test-only service registered, bundled by
// sensor_deploy_test.ts into a sensor image: the same command, Worker and
// sandbox as main.ts's `decnet sensor`, serving tests/core/sensor's line service
// (so the container path is tested whatever protocols this build registers).
import { Command, CommanderError } from "commander";
import { CliError } from "../../cli/cli_error.ts";
import { sensorCommand } from "../../cli/sensor_command.ts";
import { runSensorWorkerThread } from "../../core/sensor/sensor_worker_thread.ts";
import { lineService } from "../core/sensor/_line_service.ts";

// The line service also stands in for ssh, so the deploy's ssh relay (key, loopback sshd) is exercised.
const registry = {
  telnet: lineService,
  ssh: { ...lineService, name: "ssh" as const, defaultPort: 22 },
};

if ((globalThis as { name?: unknown }).name === "sensor") {
  runSensorWorkerThread({ registry });
} else if (import.meta.main) {
  const program = new Command("x").exitOverride().addCommand(
    sensorCommand({ registry }).exitOverride(),
  );
  try {
    await program.parseAsync(Deno.args, { from: "user" });
    Deno.exit(0);
  } catch (e) {
    if (!(e instanceof CommanderError)) console.error((e as Error).message);
    Deno.exit(e instanceof CliError ? e.exitCode : e instanceof CommanderError ? 2 : 1);
  }
}
