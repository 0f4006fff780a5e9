// Captures the survey fixtures in tests/testdata/survey/ from real deckies:
// the Debian test image (ws-01, with ws-02 beside it) and the busybox test
// image (box), on one bridge network in a private dockerd. Needs root,
// dockerd and debootstrap.
//   tools/deno.sh run -A tools/capture_survey_fixtures.ts tests/testdata/survey
import { openDocker } from "../core/docker/mod.ts";
import { SURVEY_SCRIPT } from "../core/survey/mod.ts";
import { startDockerd } from "../tests/infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE_CMD } from "../tests/infra/test_image.ts";
import { buildDebianImage, DEBIAN_IMAGE_CMD } from "../tests/infra/debian_image.ts";
import { waitUntil } from "../tests/infra/wait_until.ts";

/** The marker the fixtures were surveyed with (parse them with it). */
const MARKER = "FIXTUREMARKER0001";
const out = Deno.args[0] ?? "tests/testdata/survey";
const text = (b: Uint8Array) => new TextDecoder().decode(b);

await using daemon = await startDockerd();
await using docker = openDocker({ dockerHost: daemon.dockerHost });
const debian = await buildDebianImage(docker);
const busybox = await buildTestImage(docker);
await docker.createNetwork({ name: "lan", subnet: "192.168.50.0/24" });
const boxes = [
  ["ws-01", "192.168.50.11", debian, DEBIAN_IMAGE_CMD],
  ["ws-02", "192.168.50.12", debian, DEBIAN_IMAGE_CMD],
  ["box", "192.168.50.20", busybox, TEST_IMAGE_CMD],
] as const;
for (const [name, ip, image, cmd] of boxes) {
  const id = await docker.createContainer({
    image,
    name,
    hostname: name,
    cmd: [...cmd],
    networkMode: "lan",
    ipv4Address: ip,
  });
  await docker.startContainer(id);
}
await waitUntil(
  async () =>
    text((await docker.exec("ws-01", ["sh", "-c", "cat /proc/[0-9]*/comm"])).stdout)
      .includes("dovecot"),
  { what: "daemons of ws-01" },
);
// Neighbours and an auth.log line: ws-02 and box connect to ws-01's sshd.
await docker.exec("ws-02", ["bash", "-c", "exec 3<>/dev/tcp/192.168.50.11/22; head -c 20 <&3"]);
await docker.exec("box", ["sh", "-c", "echo | nc 192.168.50.11 22 | head -c 10"]);
await waitUntil(
  async () => (await docker.exec("ws-01", ["test", "-s", "/var/log/auth.log"])).exitCode === 0,
  { what: "auth.log of ws-01" },
);
for (const [container, file] of [["ws-01", "debian_bookworm"], ["box", "busybox"]]) {
  const r = await docker.exec(container, ["sh", "-s", MARKER], { stdin: SURVEY_SCRIPT, user: "0" });
  if (r.exitCode !== 0) throw new Error(`survey of ${container} failed: ${text(r.stderr)}`);
  await Deno.writeTextFile(`${out}/${file}.txt`, text(r.stdout));
}
