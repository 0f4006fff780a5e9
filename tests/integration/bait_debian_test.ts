import assert from "node:assert/strict";
import { seedBaseline } from "../../canary/mod.ts";
import type { PlanterOptions } from "../../canary/mod.ts";
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import { openDocker, shellScript } from "../../core/docker/mod.ts";
import type { DockerClient } from "../../core/docker/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { baselinePersonas } from "../../core/orchestrator/mod.ts";
import { surveyDecky } from "../../core/survey/mod.ts";
import { PersonaPool } from "../../realism/mod.ts";
import {
  buildDebianImage,
  DEBIAN_IMAGE_CMD,
  debianImageUnavailable,
  debianUsers,
} from "../infra/debian_image.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const skip = dockerdUnavailable() ?? debianImageUnavailable();
const IPS = { "ws-01": "192.0.2.11", "ws-02": "192.0.2.12" };
const PERSONAS = new URL("../../deploy/personas.example.json", import.meta.url).pathname;

async function sh(docker: DockerClient, container: string, script: string): Promise<string> {
  const r = await docker.exec(container, shellScript(script), { user: "0" });
  assert.equal(r.exitCode, 0, text(r.stderr));
  return text(r.stdout).trim();
}

Deno.test({
  name: `seedBaseline() on real Debian deckies, fed by the decky survey${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    const image = await buildDebianImage(docker);
    await docker.createNetwork({ name: "lan", subnet: "192.0.2.0/24" });
    await using handle = await openMigratedDatabase("sqlite::memory:");
    const repos = createRepositories(handle);
    await using bus = new MemoryBus({ channel: `bait-${crypto.randomUUID()}` });
    const pool = new PersonaPool({ configuredPath: PERSONAS });
    const options: PlanterOptions = {
      docker,
      repos,
      bus,
      log: new Logger({ level: "warn", sink: () => {} }),
      now: () => new Date(),
      config: {
        canaryHttpBase: "https://updates.acme-corp.com",
        canaryDnsZone: "",
        canaryBaseline: ["git_config", "env_file", "honeydoc", "aws_creds"],
      },
      // The orchestrator's decky survey fits the planter's survey input as is.
      survey: (container) => surveyDecky(docker, container),
      personas: baselinePersonas(pool),
    };
    const uuids = new Map<string, string>();
    for (const [name, ip] of Object.entries(IPS)) {
      const id = await docker.createContainer({
        image,
        name: `${name}-ssh`,
        hostname: name,
        cmd: [...DEBIAN_IMAGE_CMD],
        networkMode: "lan",
        ipv4Address: ip,
      });
      await docker.startContainer(id);
      const row = await repos.fleet.upsert({
        hostUuid: "local",
        name,
        ip,
        services: ["ssh"],
        images: {},
        network: "lan",
        networkDriver: "bridge",
        osPersona: "linux",
      }, "running");
      uuids.set(name, row.uuid);
    }
    const users = await debianUsers();
    for (const [name, uuid] of uuids) {
      const result = await seedBaseline({ name, uuid, services: ["ssh"] }, options);
      assert.ok(result.results.length >= 2, JSON.stringify(result.results));
      for (const r of result.results) assert.equal(r.status, "planted", r.error ?? "");
    }

    for (const [name, uuid] of uuids) {
      const container = `${name}-ssh`;
      const personas = new Set(
        ((await baselinePersonas(pool)({ name, uuid })) ?? []).map((p) => p.login),
      );
      const installed = (await surveyDecky(docker, container)).installedAt!;
      await t.step(`${name}: bait only in its personas' homes, owned by them`, async () => {
        const tokens = (await repos.canary.listTokens({ deckyName: name, limit: 50, offset: 0 }))
          .items;
        for (const token of tokens) {
          const login = /^~\/|^\/home\/([^/]+)\//.exec(token.placement_path ?? "");
          assert.ok(login, token.placement_path ?? "");
          const owner = JSON.parse(token.persona ?? "{}").login as string;
          assert.ok(personas.has(owner), `${owner} is not a persona of ${name}`);
        }
        for (const user of users) {
          const files = await sh(
            docker,
            container,
            `find /home/${user.login} -mindepth 1 -cnewer /etc/hostname ! -user ${user.login} | head -n 5`,
          );
          assert.equal(files, "", `${user.login}'s home has files of someone else`);
          if (!personas.has(user.login)) {
            const bait = await sh(
              docker,
              container,
              `find /home/${user.login} -mindepth 1 -cnewer /etc/hostname | head -n 5`,
            );
            assert.equal(bait, "", `${user.login} is no persona of ${name} but got bait`);
          }
        }
      });
      await t.step(
        `${name}: sub-second mtimes after the install, directories settled`,
        async () => {
          const lines = (await sh(
            docker,
            container,
            "find /home -mindepth 2 -cnewer /etc/hostname -printf '%T@ %p\\n'",
          )).split("\n").filter(Boolean);
          assert.ok(lines.length >= 2, lines.join("\n"));
          let whole = 0;
          for (const line of lines) {
            const [stamp, path] = line.split(" ");
            if (/\.0+$/.test(stamp)) whole++;
            assert.ok(Number(stamp) * 1000 >= installed.getTime(), `${path} predates the install`);
          }
          assert.equal(whole, 0, "no planted file ends in .000000000");
          const unsettled = await sh(
            docker,
            container,
            `for d in $(find /home -mindepth 2 -type d); do
             newest=$(ls -At "$d" | head -n 1)
             [ -z "$newest" ] && continue
             [ "$(stat -c %y "$d")" = "$(stat -c %y "$d/$newest")" ] || echo "$d"
           done`,
          );
          assert.equal(unsettled, "");
        },
      );
      await t.step(`${name}: every copied repository passes git fsck, clean`, async () => {
        const configs = (await sh(docker, container, "find /home -path '*/.git/config'"))
          .split("\n").filter(Boolean);
        for (const config of configs) {
          const tar = await docker.exec(container, [
            "tar",
            "-C",
            config.slice(0, -"/.git/config".length),
            "-cf",
            "-",
            ".",
          ]);
          const dir = await Deno.makeTempDir({ prefix: "copied-git-" });
          try {
            const untar = new Deno.Command("tar", { args: ["-C", dir, "-xf", "-"], stdin: "piped" })
              .spawn();
            const writer = untar.stdin.getWriter();
            await writer.write(tar.stdout);
            await writer.close();
            assert.ok((await untar.status).success);
            const git = (...args: string[]) =>
              new Deno.Command("git", {
                args: ["-c", `safe.directory=${dir}`, ...args],
                cwd: dir,
                env: { GIT_CONFIG_NOSYSTEM: "1", HOME: dir },
              }).output();
            const fsck = await git("fsck", "--full", "--strict", "--no-dangling");
            assert.ok(fsck.success, text(fsck.stderr));
            const status = await git("status", "--porcelain");
            assert.equal(text(status.stdout).trim(), "", "a clean work tree");
          } finally {
            await Deno.remove(dir, { recursive: true });
          }
        }
      });
    }
    await t.step("the two deckies carry different sets", async () => {
      const sets = await Promise.all(
        Object.keys(IPS).map((n) =>
          sh(docker, `${n}-ssh`, "cd /home && find . -type f -cnewer /etc/hostname | sort")
        ),
      );
      assert.notEqual(sets[0], sets[1]);
    });
  },
});
