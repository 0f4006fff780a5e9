// A Deno Worker for memory_bus_test.ts and bus_bench.ts: joins the bus
// (a BroadcastChannel named in its first message, or the MessagePort sent
// with it), answers every `ping.<x>` with `pong.<x>` carrying the same
// payload, and posts "subscribed" once ready.
import { MemoryBus } from "../../../core/bus/mod.ts";
import { Logger } from "../../../core/log/mod.ts";

let bus: MemoryBus | undefined;

self.onmessage = (
  event: MessageEvent<{ channel?: string; port?: MessagePort; stop?: boolean }>,
) => {
  if (event.data.stop) {
    bus?.close().then(() => self.postMessage("stopped"));
    return;
  }
  const { channel, port } = event.data;
  bus = new MemoryBus({
    channel,
    port,
    broadcast: port === undefined,
    logger: new Logger({ level: "error" }),
  });
  const b = bus;
  b.subscribe("ping.*", ({ topic, payload }) => {
    b.publish(`pong.${topic.split(".")[1]}`, { ...payload, echoed_by: "worker" });
  });
  self.postMessage("subscribed");
};
