import { openDocker, shellScript } from "../core/docker/mod.ts";
import { SURVEY_SCRIPT } from "../core/survey/mod.ts";
import { startDockerd } from "../tests/infra/dockerd.ts";
import { buildTestImage } from "../tests/infra/test_image.ts";
import { buildDebianImage, DEBIAN_IMAGE_CMD } from "../tests/infra/debian_image.ts";
import { waitUntil } from "../tests/infra/wait_until.ts";
const out = Deno.args[0];
await using daemon = await startDockerd();
await using docker = openDocker({ dockerHost: daemon.dockerHost });
let t = performance.now();
const image = await buildDebianImage(docker);
console.log("import", ((performance.now() - t) / 1000).toFixed(1));
const busy = await buildTestImage(docker);
await docker.createNetwork({ name: "lan", subnet: "192.168.50.0/24" });
for (const [name, ip, img, cmd] of [["ws-01", "192.168.50.11", image, DEBIAN_IMAGE_CMD], ["ws-02", "192.168.50.12", image, DEBIAN_IMAGE_CMD], ["box", "192.168.50.20", busy, ["sleep", "1000000"]]] as const) {
  const id = await docker.createContainer({ image: img, name, hostname: name, cmd: [...cmd], networkMode: "lan", ipv4Address: ip });
  await docker.startContainer(id);
}
const text = (b: Uint8Array) => new TextDecoder().decode(b);
await waitUntil(async () => text((await docker.exec("ws-01", ["sh", "-c", "cat /proc/[0-9]*/comm"])).stdout).includes("dovecot"), { what: "daemons" });
// make some traffic and logs
await docker.exec("ws-02", ["bash", "-c", "exec 3<>/dev/tcp/192.168.50.11/22; head -c 20 <&3"]);
await docker.exec("box", ["sh", "-c", "echo | nc 192.168.50.11 22 | head -c 10"]);
await waitUntil(async () => (await docker.exec("ws-01", ["test", "-s", "/var/log/auth.log"])).exitCode === 0, { what: "auth.log" });
for (const c of ["ws-01", "box"]) {
  t = performance.now();
  const r = await docker.exec(c, shellScript(SURVEY_SCRIPT, ["FIXTUREMARKER0001"]), { user: "0" });
  console.log(c, "survey ms", (performance.now() - t).toFixed(0), r.exitCode, text(r.stderr));
  await Deno.writeTextFile(`${out}/${c === "box" ? "busybox" : "debian_bookworm"}.txt`, text(r.stdout));
}
