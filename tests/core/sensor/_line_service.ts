// A test-only decoy protocol: greets, records each line as a command, and
// proves what the sensor's sandbox lets it do (`read PATH`, `listen PORT`).
import type { SensorService } from "../../../core/sensor/mod.ts";

/** Answers "220 ready", then each line: `read PATH` -> "ok"/"denied", else echoes it. */
export const lineService: SensorService = {
  name: "telnet",
  defaultPort: 2323,
  idleTimeoutMs: 10_000,
  async serve(session) {
    await session.write(`220 ${session.options.banner ?? "ready"}\r\n`);
    while (true) {
      const line = await session.reader.readLine(1024);
      if (line === null) return;
      session.emit("command", { command: line });
      const [verb, arg] = line.split(" ");
      if (verb === "read") {
        try {
          await Deno.readFile(arg);
          await session.write("ok\r\n");
        } catch {
          await session.write("denied\r\n");
        }
      } else await session.write(`${line}\r\n`);
    }
  },
};
