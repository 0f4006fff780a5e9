/**
 * The fleet-port gate (issue 15): what the orchestrator adds before each SSH session to a
 * sensor-served decky (a one-shot helper container of the decky's image loads the nftables
 * rules with the source let through, then goes), against one Debian decky on a private dockerd.
 * Usage: deno run -A tests/bench/fleet_ssh_gate_bench.ts [iterations=10]
 */
import { openDocker } from "../../core/docker/mod.ts";
import { gateFleetSshPort } from "../../core/fleet/gate_fleet_ssh_port.ts";
import { printLine } from "../../core/log/mod.ts";
import {
  buildDebianImage,
  DEBIAN_IMAGE_CMD,
  debianImageUnavailable,
} from "../infra/debian_image.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const iterations = Number(Deno.args[0] ?? 10);
const unavailable = dockerdUnavailable() ?? debianImageUnavailable();
if (unavailable) {
  printLine(`fleet ssh gate bench skipped: ${unavailable}`);
  Deno.exit(0);
}
await using daemon = await startDockerd();
await using docker = openDocker({ dockerHost: daemon.dockerHost });
const image = await buildDebianImage(docker);
const id = await docker.createContainer({ image, name: "ws-02", cmd: DEBIAN_IMAGE_CMD });
await docker.startContainer(id, { timeoutMs: 60_000 });
try {
  printLine(formatTimings(
    "gateFleetSshPort() with one peer",
    await timeIt(
      iterations,
      (i) => gateFleetSshPort(docker, "ws-02", { peers: [`192.0.2.${i + 1}`] }),
      1,
    ),
  ));
  printLine(
    `load average: ${(await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ")}`,
  );
} finally {
  await docker.removeContainer(id, { force: true });
}
