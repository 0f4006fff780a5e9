// A tiny container image built without internet: Debian's busybox-static plus
// one symlink per applet, imported with `docker import`. Enough to run a decoy
// container in tests: long-lived `sleep`, `nc -ll -p 22 -e cat` as a listener
// (busybox nc has no -k), and sh, touch, chown, stat, mv, mkdir, cat, ...
import type { DockerClient } from "../../core/docker/mod.ts";
import { findBinary } from "./find_binary.ts";

/** Tag of the image {@linkcode buildTestImage} imports. */
export const TEST_IMAGE = "testbox:busybox";

/** Default command of the image: a process that just stays up. */
export const TEST_IMAGE_CMD = ["sleep", "2147483647"];

const PASSWD = "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n";
const GROUP = "root:x:0:\nuser:x:1000:\n";

/**
 * Imports the busybox test image into `docker` (once per daemon) and returns its tag.
 * Users: root and user (1000:1000, home /home/user). CMD: {@linkcode TEST_IMAGE_CMD}.
 */
export async function buildTestImage(docker: DockerClient): Promise<string> {
  if (await docker.hasImage(TEST_IMAGE)) return TEST_IMAGE;
  const busybox = findBinary("busybox");
  if (!busybox) throw new Error("busybox not installed (Debian package busybox-static)");
  const dir = await Deno.makeTempDir({ prefix: "testbox-" });
  try {
    const root = `${dir}/root`;
    for (const sub of ["bin", "etc", "root", "home/user", "tmp", "dev", "proc", "sys", "var"]) {
      await Deno.mkdir(`${root}/${sub}`, { recursive: true });
    }
    await Deno.chmod(`${root}/tmp`, 0o1777);
    await Deno.copyFile(busybox, `${root}/bin/busybox`);
    await Deno.chmod(`${root}/bin/busybox`, 0o755);
    const list = await run(busybox, ["--list"]);
    for (const applet of new TextDecoder().decode(list).split("\n")) {
      if (!applet || applet === "busybox" || applet.includes("/")) continue;
      await Deno.symlink("busybox", `${root}/bin/${applet}`);
    }
    await Deno.symlink("bin", `${root}/sbin`);
    await Deno.mkdir(`${root}/usr`);
    await Deno.symlink("../bin", `${root}/usr/bin`);
    await Deno.writeTextFile(`${root}/etc/passwd`, PASSWD);
    await Deno.writeTextFile(`${root}/etc/group`, GROUP);
    const tarball = await run(findBinary("tar") ?? "tar", [
      "--numeric-owner",
      "--owner=0",
      "--group=0",
      "-C",
      root,
      "-cf",
      "-",
      ".",
    ]);
    const [repo, tag] = TEST_IMAGE.split(":");
    await docker.importImage(tarball, {
      repo,
      tag,
      changes: [`CMD ${JSON.stringify(TEST_IMAGE_CMD)}`, "ENV PATH=/bin"],
      timeoutMs: 60_000,
    });
    return TEST_IMAGE;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function run(binary: string, args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command(binary, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${binary} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return out.stdout;
}
