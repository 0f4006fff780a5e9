// Worker entry for run_sensor_test.ts: the sensor Worker serving the test line service.
import { runSensorWorkerThread } from "../../../core/sensor/sensor_worker_thread.ts";
import { lineService } from "./_line_service.ts";

runSensorWorkerThread({ registry: { telnet: lineService } });
