/**
 * `deno task release [--compiled]`: dist/decnet-<version>-linux-x64.tar.gz,
 * everything an air-gapped host needs. One folder `decnet-<version>-linux-x64/`:
 *
 * - `bin/decnet`: a launcher running `lib/decnet.js` and its parts in `lib/decnet/` (the
 *   bundle of `deno task build`) with `lib/deno`, the pinned Deno runtime this script
 *   runs under (the npm package tools/deno.sh installs); with `--compiled`
 *   (needs DENORT_BIN) the `deno compile` executable instead, and no `lib/`;
 * - `lib/decnet-sensor.js`: the sensor program alone, for the sensor image;
 * - `deploy/`: systemd units, sysusers entry, env example, example fleet and personas;
 * - `LICENSE`, `VERSION` and `SHA256SUMS` (`sha256sum -c SHA256SUMS` in the folder checks it).
 *
 * `bin/decnet install` copies the folder onto the host (see cli/install_command.ts).
 *
 * @module
 */
import { dirname, join, relative } from "node:path";
import { BACKUP_PROGRAMS, INSTALL_PROGRAMS } from "../cli/install_programs.ts";
import { VERSION } from "../core/version.ts";
import { buildSensorBundle, buildSplitBundle, RUNTIME_FLAGS } from "./build_bundle.ts";
import { SENSOR_BUNDLE_FILE } from "../core/sensor/sensor_image.ts";
import { compileBinary } from "./compile_binary.ts";

const root = new URL("..", import.meta.url).pathname;

/** Files of deploy/ that go into the archive unchanged. */
const DEPLOY_FILES = [
  "README.md",
  "env.example",
  "fleet.example.ini",
  "personas.example.json",
  "sysusers.d/decnet.conf",
];

/** What {@linkcode buildRelease} made. */
export interface Release {
  /** Path of the .tar.gz. */
  archive: string;
  /** Its top-level folder name, `decnet-<version>-linux-x64`. */
  name: string;
  /** Size of the archive in bytes. */
  size: number;
}

/**
 * The `bin/decnet` shell launcher: resolves its own symlinks (the install links
 * /usr/local/bin/decnet to it) and runs the bundle with the runtime beside it,
 * with the permissions of the checkout's ./decnet launcher.
 */
export function renderLauncher(version: string): string {
  const flags = RUNTIME_FLAGS.join(" ");
  return `#!/bin/sh
# decnet ${version}: runs lib/decnet.js with the Deno runtime shipped beside it (no network needed).
set -eu
root="$(dirname "$(dirname "$(readlink -f "$0")")")"
runtime="$root/lib/deno"
# The runtime must not look for a newer version of itself (air-gapped hosts).
export DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1
# The runtime may start itself again, and nothing else (the sniffer under \`decnet up\`).
# Deno then refuses to write that runtime: install and uninstall, which replace or
# remove it, may start only what creates the service user, reloads systemd and dumps
# MySQL/MariaDB before an upgrade; backup and restore only the MariaDB clients.
run="--allow-run=$runtime"
case "\${1:-}" in
install | uninstall) run="--allow-run=${INSTALL_PROGRAMS.join(",")}" ;;
backup | restore) run="--allow-run=${BACKUP_PROGRAMS.join(",")}" ;;
esac
exec "$runtime" run --quiet --no-config ${flags} "$run" "$root/lib/decnet.js" "$@"
`;
}

/**
 * Builds the release archive into `outDir`. `compiled` puts the `deno compile`
 * executable in bin/decnet (needs DENORT_BIN: nothing is downloaded).
 *
 * @example
 * ```ts
 * const { archive, size } = await buildRelease("dist");
 * ```
 */
export async function buildRelease(
  outDir: string,
  options: { compiled?: boolean } = {},
): Promise<Release> {
  const name = `decnet-${VERSION}-linux-x64`;
  const stage = await Deno.makeTempDir({ prefix: "decnet-release-" });
  try {
    const top = join(stage, name);
    await Deno.mkdir(join(top, "bin"), { recursive: true });
    if (options.compiled) {
      if (!Deno.env.get("DENORT_BIN")) {
        throw new Error(
          "--compiled needs DENORT_BIN (a denort binary of Deno " + Deno.version.deno + ")",
        );
      }
      if (!await compileBinary(join(top, "bin/decnet"))) throw new Error("deno compile failed");
    } else {
      await Deno.mkdir(join(top, "lib"));
      await Deno.mkdir(join(root, "dist"), { recursive: true });
      await buildSplitBundle(join(root, "dist/decnet.js"));
      await Deno.copyFile(join(root, "dist/decnet.js"), join(top, "lib/decnet.js"));
      await copyFolder(join(root, "dist/decnet"), join(top, "lib/decnet"));
      await Deno.copyFile(
        await buildSensorBundle(join(root, "dist")),
        join(top, "lib", SENSOR_BUNDLE_FILE),
      );
      await Deno.copyFile(Deno.execPath(), join(top, "lib/deno"));
      await Deno.chmod(join(top, "lib/deno"), 0o755);
      await Deno.writeTextFile(join(top, "bin/decnet"), renderLauncher(VERSION), { mode: 0o755 });
      await Deno.chmod(join(top, "bin/decnet"), 0o755);
    }
    const deployFiles = [
      ...DEPLOY_FILES,
      ...[...Deno.readDirSync(join(root, "deploy/systemd"))].map((e) => `systemd/${e.name}`),
    ];
    for (const file of deployFiles) {
      await Deno.mkdir(dirname(join(top, "deploy", file)), { recursive: true });
      await Deno.copyFile(join(root, "deploy", file), join(top, "deploy", file));
    }
    await Deno.copyFile(join(root, "LICENSE"), join(top, "LICENSE"));
    // `decnet install` compares it with the installed release's (no downgrade over newer data).
    await Deno.writeTextFile(join(top, "VERSION"), `${VERSION}\n`);
    await Deno.writeTextFile(join(top, "SHA256SUMS"), await checksums(top));
    await Deno.mkdir(outDir, { recursive: true });
    const archive = join(Deno.realPathSync(outDir), `${name}.tar.gz`);
    const tar = await new Deno.Command("tar", {
      args: [
        "-czf",
        archive,
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "--sort=name",
        "-C",
        stage,
        name,
      ],
      stderr: "piped",
    }).output();
    if (!tar.success) throw new Error(`tar failed: ${new TextDecoder().decode(tar.stderr)}`);
    return { archive, name, size: (await Deno.stat(archive)).size };
  } finally {
    await Deno.remove(stage, { recursive: true });
  }
}

/** Copies a folder and its subfolders (the bundle's parts and their worker_entries/). */
async function copyFolder(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    if (e.isDirectory) await copyFolder(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

/** `sha256sum` lines for every file under `dir`, sorted by path. */
async function checksums(dir: string): Promise<string> {
  const paths: string[] = [];
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      if (e.isDirectory) walk(join(d, e.name));
      else paths.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  const lines = [];
  for (const path of paths.sort()) {
    const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(join(dir, path)));
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    lines.push(`${hex}  ${path}\n`);
  }
  return lines.join("");
}

if (import.meta.main) {
  const compiled = Deno.args.includes("--compiled");
  const unknown = Deno.args.filter((a) => a !== "--compiled");
  if (unknown.length) {
    console.error(`Unknown argument ${unknown[0]}; usage: deno task release [--compiled]`);
    Deno.exit(2);
  }
  const { archive, size } = await buildRelease(join(root, "dist"), { compiled });
  console.log(`Built ${archive} (${(size / 1024 / 1024).toFixed(1)} MiB)`);
}
