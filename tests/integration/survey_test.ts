import assert from "node:assert/strict";
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { Repositories } from "../../core/db/mod.ts";
import { openDocker, shellScript } from "../../core/docker/mod.ts";
import type { DockerClient } from "../../core/docker/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { Orchestrator, personasForDecky } from "../../core/orchestrator/mod.ts";
import { isDaemonRunning, surveyDecky, surveyLogFile, surveyUser } from "../../core/survey/mod.ts";
import {
  DEFAULT_REALISM_CONFIG,
  mulberry32,
  parsePersonas,
  REALISM_SETTINGS_KEY,
} from "../../realism/mod.ts";
import type { Persona } from "../../realism/mod.ts";
import {
  buildDebianImage,
  DEBIAN_IMAGE_CMD,
  debianImageUnavailable,
  debianUsers,
} from "../infra/debian_image.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE_CMD } from "../infra/test_image.ts";
import { waitUntil } from "../infra/wait_until.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const skip = dockerdUnavailable() ?? debianImageUnavailable();
const IPS = { "ws-01": "192.0.2.11", "ws-02": "192.0.2.12", "box-01": "192.0.2.20" };

async function sh(docker: DockerClient, container: string, script: string, ...args: string[]) {
  const r = await docker.exec(container, shellScript(script, args), { user: "0" });
  assert.equal(r.exitCode, 0, text(r.stderr));
  return text(r.stdout);
}

async function addDecky(
  repos: Repositories,
  name: keyof typeof IPS,
  pool: readonly Persona[],
  hasAccount: (p: Persona) => boolean,
): Promise<string> {
  // Which personas live on a decky follows its uuid; one without an account there gets no log
  // lines or files, whatever the planner picks, so pick a uuid where one with an account lives.
  let uuid: string;
  do uuid = crypto.randomUUID(); while (!personasForDecky(uuid, pool).some(hasAccount));
  const d = await repos.fleet.upsert({
    uuid,
    hostUuid: "local",
    name,
    ip: IPS[name],
    services: ["ssh"],
    images: {},
    network: "lan",
    networkDriver: "bridge",
    osPersona: "linux",
  }, "running");
  return d.uuid;
}

Deno.test({
  name: `Survey and survey-aware logs on a real Debian decky and a sparse busybox one${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    const debian = await buildDebianImage(docker);
    const busybox = await buildTestImage(docker);
    await docker.createNetwork({ name: "lan", subnet: "192.0.2.0/24" });
    const boxes = [
      ["ws-01", debian, DEBIAN_IMAGE_CMD],
      ["ws-02", debian, DEBIAN_IMAGE_CMD],
      ["box-01", busybox, TEST_IMAGE_CMD],
    ] as const;
    for (const [name, image, cmd] of boxes) {
      // Named like a decky's ssh container, where the orchestrator writes files.
      const id = await docker.createContainer({
        image,
        name: `${name}-ssh`,
        hostname: name,
        cmd: [...cmd],
        networkMode: "lan",
        ipv4Address: IPS[name],
      });
      await docker.startContainer(id);
    }
    // A real sshd line in auth.log (rsyslog creates its files on first write).
    await waitUntil(async () => {
      const r = await docker.exec("ws-02-ssh", [
        "bash",
        "-c",
        `exec 3<>/dev/tcp/${IPS["ws-01"]}/22 && head -c 4 <&3`,
      ]);
      return r.exitCode === 0 &&
        (await docker.exec("ws-01-ssh", ["test", "-s", "/var/log/auth.log"])).exitCode === 0;
      // sysvinit runs the rcS and runlevel 2 scripts first: up to a minute on a loaded machine.
    }, { what: "sshd of ws-01 answering and auth.log written", timeoutMs: 90_000 });

    await t.step("surveyDecky() reads the real Debian decky", async () => {
      const survey = await surveyDecky(docker, "ws-01-ssh");
      for (const user of await debianUsers()) {
        assert.equal(surveyUser(survey, user.login)?.uid, user.uid, user.login);
        assert.equal(surveyUser(survey, user.login)?.home, `/home/${user.login}`);
      }
      for (const name of ["sshd", "cron", "syslog", "dovecot"]) {
        assert.ok(isDaemonRunning(survey, name), `${name} runs`);
      }
      const dpkgSsh =
        (await sh(docker, "ws-01-ssh", "dpkg-query -W -f '${Version}' openssh-server"))
          .replace(/^\d+:/, "");
      // "1:9.2p1-2+deb12u10" is packaged as "OpenSSH_9.2p1 Debian-2+deb12u10".
      assert.equal(survey.sshVersion, `OpenSSH_${dpkgSsh.replace("-", " Debian-")}`);
      assert.equal(
        survey.mailLocation,
        await sh(docker, "ws-01-ssh", "doveconf -h mail_location").then((s) => s.trim()),
      );
      assert.equal(survey.os.versionCodename, "bookworm");
      assert.ok(survey.installedAt && survey.installedAt.getTime() <= Date.now());
      const auth = surveyLogFile(survey, "/var/log/auth.log")!;
      assert.deepEqual([auth.owner, auth.group, auth.mode], ["root", "adm", 0o640]);
      assert.deepEqual(survey.addresses, [IPS["ws-01"]]);
      assert.ok(survey.peers.some((p) => p.ip === IPS["ws-02"]), "the peer that connected");
      assert.equal(survey.hostname, "ws-01");
      assert.equal(survey.dockerenv, true);
      assert.ok(survey.processes.every((p) => !p.cmdline.includes("sec processes")));
    });

    await t.step("surveyDecky() finds no daemon on the busybox decky", async () => {
      const survey = await surveyDecky(docker, "box-01-ssh");
      assert.ok(survey.daemons.every((d) => d.pids.length === 0));
      assert.deepEqual(survey.processes.map((p) => p.comm), ["sleep"]);
      assert.deepEqual(survey.users.map((u) => [u.login, u.uid]), [["root", 0], ["user", 1000]]);
      assert.equal(survey.os.id, null);
      assert.deepEqual(survey.logFiles, []);
      assert.deepEqual(survey.addresses, [IPS["box-01"]]);
    });

    await t.step(
      "the orchestrator grows only live logs, with real uids, keeping owner and mode",
      async () => {
        const handle = await openMigratedDatabase("sqlite::memory:");
        await using _db = { [Symbol.asyncDispose]: () => handle.close() };
        const repos = createRepositories(handle);
        const pool = parsePersonas(
          JSON.parse(
            await Deno.readTextFile(new URL("../../deploy/personas.example.json", import.meta.url)),
          ),
        ).personas.map((p) => ({ ...p, active_hours: "00:00-23:59" }));
        // The busybox decky's only user, so its file ticks have a persona with an account.
        pool.push({ ...pool[0], name: "Sam User", email: "user@corp.example" });
        const isSam = (p: Persona) => p.email === "user@corp.example";
        // The Debian image has an account for every example persona, the busybox one only Sam's.
        await addDecky(repos, "ws-01", pool, (p) => !isSam(p));
        await addDecky(repos, "box-01", pool, isSam);
        await repos.settings.put(REALISM_SETTINGS_KEY, {
          action_weights: { traffic: 0, file: 1, email: 0 },
          canary_probability: 0,
          weights: {
            ...DEFAULT_REALISM_CONFIG.weights,
            log_cron: 0, // cron jobs: real_activity_test.ts
            log_daemon: 50,
            cache_tmp: 0,
          },
        });
        const inode = async (c: string, p: string) =>
          (await sh(docker, c, 'stat -c %i "$1"', p)).trim();
        const authInode = await inode("ws-01-ssh", "/var/log/auth.log");
        await using bus = new MemoryBus({ channel: `survey-int-${crypto.randomUUID()}` });
        const orchestrator = new Orchestrator({
          repos,
          docker,
          bus,
          log: new Logger({ level: "error" }),
          personaPool: { load: () => Promise.resolve({ personas: pool }) },
          makeLlm: () => null,
          llmByDefault: false,
          random: mulberry32(5),
        });
        await orchestrator.reloadSettings();
        const appended = new Set<string>();
        let appends = 0;
        for (let i = 0; i < 600 && appends < 4; i++) {
          const r = await orchestrator.tick();
          assert.equal(r.ok, true, r.detail);
          if (r.action !== "append") continue;
          appends++;
          appended.add(r.detail.split(" ")[2]);
        }
        // Cron lines only ever come from the real cron, so only auth.log grows.
        assert.deepEqual([...appended], ["/var/log/auth.log"]);

        const listing = await sh(
          docker,
          "ws-01-ssh",
          "stat -c '%n %U:%G %a' /var/log/auth.log /var/log/syslog; ls /var/log",
        );
        assert.match(listing, /^\/var\/log\/auth\.log root:adm 640$/m);
        assert.match(listing, /^\/var\/log\/syslog root:adm 640$/m);
        assert.doesNotMatch(listing, /^(daemon\.log|.*\.gz|.*\.1)$/m, listing);
        if (/^cron\.log$/m.test(listing)) {
          // rsyslog's own (bookworm logs cron.* there): the crontab command and cron wrote it.
          const cron = await sh(
            docker,
            "ws-01-ssh",
            "stat -c '%U:%G %a' /var/log/cron.log; cat /var/log/cron.log",
          );
          const [mode, ...lines] = cron.trimEnd().split("\n");
          assert.equal(mode, "root:adm 640");
          for (const line of lines) assert.match(line, / ws-01 (crontab|cron|CRON)\[\d+\]: /);
        }
        assert.equal(await inode("ws-01-ssh", "/var/log/auth.log"), authInode, "appended in place");
        const logs = await sh(docker, "ws-01-ssh", "cat /var/log/auth.log /var/log/syslog");
        assert.doesNotMatch(logs, /systemd|dhclient|smartd|ntpd|HUPed/);
        assert.match(logs, /ws-01 sudo: {3}\w+ : /);
        // No session that did not happen: sshd and cron write their own.
        assert.doesNotMatch(
          logs,
          /Accepted publickey|session opened for user (?!root)|CRON\[\d+\]: \((?!root)\w+\) CMD/,
        );
        for (const line of logs.trimEnd().split("\n")) {
          // rsyslog's own lines and ours alike: RFC 3339 stamps, the decky's host name.
          assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 ws-01 /);
        }

        const boxLogs = await sh(docker, "box-01-ssh", "ls -A /var/log 2>/dev/null || true");
        assert.equal(boxLogs, "", "no log on a decky without a syslog daemon");
      },
    );
  },
});
