// A Deno Worker for memory_bus_test.ts: joins the channel named in its
// first message, answers every `ping.<x>` with `pong.<x>` carrying the same
// payload, and publishes `worker.ready` once subscribed.
import { MemoryBus } from "../../../core/bus/mod.ts";
import { Logger } from "../../../core/log/mod.ts";

let bus: MemoryBus | undefined;

self.onmessage = (event: MessageEvent<{ channel?: string; stop?: boolean }>) => {
  if (event.data.stop) {
    bus?.close().then(() => self.postMessage("stopped"));
    return;
  }
  bus = new MemoryBus({ channel: event.data.channel, logger: new Logger({ level: "error" }) });
  const b = bus;
  b.subscribe("ping.*", ({ topic, payload }) => {
    b.publish(`pong.${topic.split(".")[1]}`, { ...payload, echoed_by: "worker" });
  });
  self.postMessage("subscribed");
};
