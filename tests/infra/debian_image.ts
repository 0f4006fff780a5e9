// A real Debian decky for tests: a minimal bookworm rootfs built with
// debootstrap from the Debian mirror this machine's apt uses, with the
// daemons a small Linux server runs (sshd, cron, rsyslog, dovecot, and exim4,
// Debian's default MTA, which any host that keeps mail has), nftables, and the
// example personas as users. Built once into /var/cache/decnet-tests/ (keyed
// by a hash of the recipe below), then imported into a private dockerd.
//
// PID 1 is the distribution's own init: sysvinit-core's /sbin/init reads
// /etc/inittab, runs the rcS and runlevel 2 scripts, and so starts sshd,
// cron, rsyslog, dovecot and exim4 through their /etc/init.d scripts, as on a
// Debian host booted with sysvinit. `ps -ef` then shows `init [2]` as PID 1
// and the daemons as they daemonise (PPID 1). The image must run without
// Docker's init (fleet `init = image`, the default), since sysvinit only
// acts as init when it is PID 1. What cannot look like a host: a stock
// bookworm boots systemd (`/sbin/init` -> /lib/systemd/systemd), which needs
// a writable cgroup tree and more privileges than a decky should get; sysvinit
// is a supported Debian init, so `init [2]` is a real Debian PID 1.
import type { DockerClient } from "../../core/docker/mod.ts";
import { loginFor, parsePersonas } from "../../realism/mod.ts";
import { findBinary } from "./find_binary.ts";

/** Tag of the image {@linkcode buildDebianImage} imports. */
export const DEBIAN_IMAGE = "testbox:debian-bookworm";

/** Command of the image: sysvinit, which starts the daemons from /etc/init.d. */
export const DEBIAN_IMAGE_CMD = ["/sbin/init"];

/** Where built root filesystems are kept between runs. */
export const DEBIAN_CACHE_DIR = "/var/cache/decnet-tests";

const SUITE = "bookworm";
const PACKAGES = [
  "openssh-server",
  "cron",
  "rsyslog",
  "dovecot-imapd",
  "dovecot-pop3d",
  "exim4-daemon-light",
  "sudo",
  // Debian's firewall (priority important: on every standard install); the deploy gates the
  // decky sshd's fleet port with it.
  "nftables",
  "sysvinit-core",
  // Init scripts of packages that dropped theirs (rsyslog), as sysvinit users install.
  "orphan-sysvinit-scripts",
];
const PERSONAS_FILE = new URL("../../deploy/personas.example.json", import.meta.url);

/** A login of the image: the example personas in file order, uids from 1000. */
export interface DebianUser {
  login: string;
  uid: number;
  /** Real name (GECOS). */
  name: string;
}

// Run in the chroot after debootstrap: users, groups, no kernel log module (a
// container cannot read /proc/kmsg and rsyslog would log that), the daemons
// enabled in runlevel 2, and no getty (a container has no tty1-6, and init
// would log each respawn).
// $1.. : "login:uid:Real Name" per user; the first one administers the box.
const SETUP_SCRIPT = `set -e
first=1
for spec in "$@"; do
  login="\${spec%%:*}"; rest="\${spec#*:}"; uid="\${rest%%:*}"; name="\${rest#*:}"
  useradd --create-home --uid "$uid" --user-group --shell /bin/bash --comment "$name,,," "$login"
  if [ "$first" = 1 ]; then usermod -aG sudo,adm "$login"; first=0; fi
done
sed -i 's/^module(load="imklog"/#&/' /etc/rsyslog.conf
sed -i 's|^[0-9]*:[0-9]*:respawn:/sbin/getty|#&|' /etc/inittab
for s in rsyslog cron ssh dovecot exim4; do
  [ -e "/etc/init.d/$s" ] || install -m 0755 "/usr/share/orphan-sysvinit-scripts/$s" "/etc/init.d/$s"
  update-rc.d "$s" defaults >/dev/null
done
# apt's caches and lists are half the image and slow every test's teardown.
rm -rf /var/cache/apt/archives/*.deb /var/cache/apt/*.bin /var/lib/apt/lists/* /var/log/bootstrap.log
`;

/** The image's users: the example personas' logins, uid 1000 upwards. */
export async function debianUsers(): Promise<DebianUser[]> {
  const { personas } = parsePersonas(JSON.parse(await Deno.readTextFile(PERSONAS_FILE)));
  return personas.map((p, i) => ({ login: loginFor(p), uid: 1000 + i, name: p.name }));
}

/**
 * Why the Debian image cannot be built here, or undefined when it can. Under
 * CI (`CI=true`) it is always undefined, so a missing tool fails the run
 * instead of skipping it.
 */
export function debianImageUnavailable(): string | undefined {
  if (Deno.env.get("CI") === "true") return undefined;
  if (!findBinary("debootstrap")) return "debootstrap not installed (Debian package debootstrap)";
  if (Deno.uid() !== 0) return "debootstrap needs root";
  return undefined;
}

/**
 * Imports the Debian test image into `docker` (once per daemon) and returns
 * its tag, building the root filesystem with debootstrap first unless the
 * cache holds one for the current recipe.
 *
 * @example
 * ```ts
 * import type { DockerClient } from "../../core/docker/base.ts";
 * import { buildDebianImage, DEBIAN_IMAGE_CMD } from "./debian_image.ts";
 * declare const docker: DockerClient;
 * const image = await buildDebianImage(docker);
 * await docker.createContainer({ image, name: "ws-01", cmd: DEBIAN_IMAGE_CMD });
 * ```
 */
export async function buildDebianImage(docker: DockerClient): Promise<string> {
  if (await docker.hasImage(DEBIAN_IMAGE)) return DEBIAN_IMAGE;
  const tarball = await debianRootfs();
  using file = await Deno.open(tarball);
  const [repo, tag] = DEBIAN_IMAGE.split(":");
  await docker.importImage(file.readable, {
    repo,
    tag,
    changes: [
      `CMD ${JSON.stringify(DEBIAN_IMAGE_CMD)}`,
      "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ],
    timeoutMs: 180_000,
  });
  return DEBIAN_IMAGE;
}

/** Path of the cached rootfs tarball for the current recipe, built when missing. */
export async function debianRootfs(): Promise<string> {
  const users = await debianUsers();
  const key = await recipeHash(users);
  const path = `${DEBIAN_CACHE_DIR}/debian-${SUITE}-${key}.tar`;
  await Deno.mkdir(DEBIAN_CACHE_DIR, { recursive: true });
  // Test files run in parallel processes: one builds while the others wait for its tarball
  // (two debootstraps sharing the package cache break each other).
  using lock = await Deno.open(`${DEBIAN_CACHE_DIR}/build.lock`, { create: true, write: true });
  await lock.lock(true);
  return await buildRootfsOnce(path, users);
}

async function buildRootfsOnce(path: string, users: DebianUser[]): Promise<string> {
  try {
    await Deno.stat(path);
    return path;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const debootstrap = findBinary("debootstrap");
  if (!debootstrap) throw new Error("debootstrap not installed (Debian package debootstrap)");
  await Deno.mkdir(DEBIAN_CACHE_DIR, { recursive: true });
  const dir = await Deno.makeTempDir({ prefix: "debian-rootfs-" });
  try {
    const root = `${dir}/root`;
    // Downloaded packages are kept, so a change of recipe only rebuilds.
    await Deno.mkdir(`${DEBIAN_CACHE_DIR}/debs`, { recursive: true });
    await run(debootstrap, [
      "--variant=minbase",
      `--cache-dir=${DEBIAN_CACHE_DIR}/debs`,
      `--include=${PACKAGES.join(",")}`,
      SUITE,
      root,
      await debianMirror(),
    ]);
    await run(findBinary("chroot") ?? "chroot", [
      root,
      "/bin/sh",
      "-c",
      SETUP_SCRIPT,
      "sh",
      ...users.map((u) => `${u.login}:${u.uid}:${u.name}`),
    ]);
    const partial = `${path}.${Deno.pid}.partial`;
    await run(findBinary("tar") ?? "tar", ["--numeric-owner", "-C", root, "-cf", partial, "."]);
    await Deno.rename(partial, path);
    for await (const e of Deno.readDir(DEBIAN_CACHE_DIR)) {
      const stale = e.name.startsWith(`debian-${SUITE}-`) && e.name.endsWith(".tar") &&
        `${DEBIAN_CACHE_DIR}/${e.name}` !== path;
      if (stale) await Deno.remove(`${DEBIAN_CACHE_DIR}/${e.name}`);
    }
    return path;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The Debian mirror apt uses here (first `URIs:`/`deb` entry ending in /debian). */
export async function debianMirror(): Promise<string> {
  const files = ["/etc/apt/sources.list"];
  for await (const entry of readDirOrEmpty("/etc/apt/sources.list.d")) files.push(entry);
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      throw e;
    }
    const m = /^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(https?:\/\/\S+\/debian)\/?\s*$/m.exec(
      text.replace(/^(deb\s+(?:\[[^\]]*\]\s+)?\S+)\s.*$/gm, "$1"),
    );
    if (m) return m[1];
  }
  return "http://deb.debian.org/debian";
}

async function* readDirOrEmpty(dir: string): AsyncGenerator<string> {
  try {
    for await (const e of Deno.readDir(dir)) if (e.isFile) yield `${dir}/${e.name}`;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

async function recipeHash(users: DebianUser[]): Promise<string> {
  const recipe = JSON.stringify({ SUITE, PACKAGES, SETUP_SCRIPT, users });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(recipe));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

async function run(binary: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(binary, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { DEBIAN_FRONTEND: "noninteractive", LC_ALL: "C" },
  }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`${binary} ${args.slice(0, 3).join(" ")} failed: ${text.slice(-2000)}`);
  }
}
