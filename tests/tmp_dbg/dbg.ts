import { type DockerodeClient, openDocker } from "../../core/docker/mod.ts";
import { buildSensorImage } from "../../core/sensor/mod.ts";
import { buildBundle } from "../../tools/build_bundle.ts";
import { startDockerd } from "../infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE } from "../infra/test_image.ts";
const daemon = await startDockerd();
const docker = openDocker({ dockerHost: daemon.dockerHost }) as DockerodeClient;
await buildTestImage(docker);
await docker.createNetwork({
  name: "closed",
  subnet: "10.231.50.0/24",
  gateway: "10.231.50.1",
  internal: true,
});
const id = await docker.createContainer({
  image: TEST_IMAGE,
  name: "xx",
  cmd: ["sleep", "1000"],
  networkMode: "closed",
  ipv4Address: "10.231.50.10",
});
await docker.startContainer(id);
const r = await docker.exec("xx", ["ip", "route"]);
console.log("ROUTE", new TextDecoder().decode(r.stdout), new TextDecoder().decode(r.stderr));
console.log((await docker.listNetworks()).map((n) => [n.name, n.internal]));
await buildBundle(
  "/tmp/dbgbundle.js",
  new URL("../integration/_sensor_test_main.ts", import.meta.url).pathname,
);
const b = await buildSensorImage(docker, {
  program: { kind: "bundle", runtime: Deno.execPath(), bundle: "/tmp/dbgbundle.js" },
  version: "9.9.9",
});
const sid = await docker.createContainer({
  image: b.image,
  name: "xx-sensor",
  cmd: ["--services", "telnet", "--decky", "xx"],
  user: "65534:8",
  networkMode: `container:${id}`,
  limits: { memoryBytes: 64 * 1024 * 1024, pidsLimit: 100, nanoCpus: 5e8 },
});
await docker.startContainer(sid);
await new Promise((r) => setTimeout(r, 4000));
const logs = await docker.containerLogs("xx-sensor");
console.log(
  "OUT",
  new TextDecoder().decode(logs.stdout),
  "ERR",
  new TextDecoder().decode(logs.stderr),
);
console.log(JSON.stringify(await docker.inspectContainer("xx-sensor")));
await daemon.close();
