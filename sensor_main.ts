/**
 * The sensor program's entry, bundled as dist/decnet-sensor.js and put in
 * the sensor image: `sensor --services ...` and nothing else of decnet, so a
 * decky's sensor parses and holds only the decoy protocols (and, when its
 * flags do not sandbox it, runs them in its own Worker from this module).
 *
 * @module
 */
import { runSensorCli } from "./cli/run_sensor_cli.ts";
import { runSensorWorkerThread, SENSOR_WORKER_NAME } from "./core/sensor/sensor_worker_thread.ts";

if ((globalThis as { name?: unknown }).name === SENSOR_WORKER_NAME) {
  runSensorWorkerThread();
} else if (import.meta.main) {
  Deno.exit(await runSensorCli(Deno.args));
}
