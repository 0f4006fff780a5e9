import type { SensorEvent } from "./sensor_event.ts";
import type { SensorEventSink } from "./serve_sensor.ts";

/** Something that takes bytes synchronously (`Deno.stdout` fits). */
export interface SyncWriter {
  writeSync(bytes: Uint8Array): number;
}

/**
 * Writes each event as one JSON line. Synchronous on purpose: lines from
 * concurrent sessions never interleave, and an event is on its way to the
 * container log before the client sees the answer that follows it.
 *
 * @example
 * ```ts
 * const sink = jsonLinesSink(); // to stdout
 * ```
 */
export function jsonLinesSink(writer: SyncWriter = Deno.stdout): SensorEventSink {
  const encoder = new TextEncoder();
  return (event: SensorEvent) => {
    const bytes = encoder.encode(JSON.stringify(event) + "\n");
    let written = 0;
    while (written < bytes.length) written += writer.writeSync(bytes.subarray(written));
  };
}
