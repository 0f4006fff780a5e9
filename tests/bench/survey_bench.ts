/**
 * The decky survey: building the Debian test image (debootstrap; once, then
 * cached), importing it into a private dockerd, one survey exec on the Debian
 * decky and on the busybox decky, and the pure parser on the captured fixture.
 * Usage: deno run -A tests/bench/survey_bench.ts [iterations=20]
 */
import { openDocker } from "../../core/docker/mod.ts";
import { printLine } from "../../core/log/mod.ts";
import { parseSurvey, surveyDecky } from "../../core/survey/mod.ts";
import {
  buildDebianImage,
  DEBIAN_IMAGE_CMD,
  debianImageUnavailable,
  debianRootfs,
} from "../infra/debian_image.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE_CMD } from "../infra/test_image.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const iterations = Number(Deno.args[0] ?? 20);
const fixture = await Deno.readTextFile(
  new URL("../testdata/survey/debian_bookworm.txt", import.meta.url),
);
printLine(formatTimings(
  "parseSurvey() on the Debian fixture",
  await timeIt(2000, () => {
    parseSurvey(fixture, "FIXTUREMARKER0001");
  }),
));

const unavailable = dockerdUnavailable() ?? debianImageUnavailable();
if (unavailable) {
  printLine(`survey exec bench skipped: ${unavailable}`);
  Deno.exit(0);
}
let t0 = performance.now();
await debianRootfs();
printLine(
  `Debian rootfs (debootstrap, or the cache): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
await using daemon = await startDockerd();
await using docker = openDocker({ dockerHost: daemon.dockerHost });
t0 = performance.now();
const debian = await buildDebianImage(docker);
printLine(`Debian image import: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const busybox = await buildTestImage(docker);
const boxes = [["ws-01", debian, DEBIAN_IMAGE_CMD], ["box", busybox, TEST_IMAGE_CMD]] as const;
for (const [name, image, cmd] of boxes) {
  const id = await docker.createContainer({ image, name, cmd: [...cmd] });
  await docker.startContainer(id);
}
await waitUntil(
  async () =>
    (await surveyDecky(docker, "ws-01")).daemons.filter((d) => d.pids.length > 0).length >= 4,
  {
    what: "daemons of ws-01",
  },
);
for (const name of ["ws-01", "box"]) {
  printLine(
    formatTimings(
      `surveyDecky() ${name}`,
      await timeIt(iterations, () => surveyDecky(docker, name), 2),
    ),
  );
}
