// Real activity between two real Debian deckies: SSH sessions through the
// decky's own ssh client to the peer's own sshd, mail through the decky's own
// dovecot LDA, files only in real homes with a matching shell history.
import assert from "node:assert/strict";
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { Repositories } from "../../core/db/mod.ts";
import { openDocker, shellScript } from "../../core/docker/mod.ts";
import type { DockerClient } from "../../core/docker/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { Orchestrator, replyDueAt } from "../../core/orchestrator/mod.ts";
import { REALISM_SETTINGS_KEY } from "../../realism/mod.ts";
import { DEFAULT_REALISM_CONFIG, loginFor, mulberry32, parsePersonas } from "../../realism/mod.ts";
import {
  buildDebianImage,
  DEBIAN_IMAGE_CMD,
  debianImageUnavailable,
} from "../infra/debian_image.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { runDecnet } from "../infra/run_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const skip = dockerdUnavailable() ?? debianImageUnavailable();
const IPS: Record<string, string> = { "ws-01": "198.18.13.11", "ws-02": "198.18.13.12" };

async function sh(docker: DockerClient, container: string, script: string, ...args: string[]) {
  const r = await docker.exec(container, shellScript(script, args), { user: "0" });
  assert.equal(r.exitCode, 0, `${script}: ${text(r.stderr)}`);
  return text(r.stdout);
}

async function addDecky(repos: Repositories, name: string): Promise<string> {
  const d = await repos.fleet.upsert({
    hostUuid: "local",
    name,
    ip: IPS[name],
    services: ["ssh", "imap"],
    images: {},
    network: "lan",
    networkDriver: "bridge",
    osPersona: "linux",
  }, "running");
  return d.uuid;
}

/** Processes of a container that are not its init's daemons: [user, ppid, args]. */
async function strayProcesses(docker: DockerClient, container: string): Promise<string[]> {
  const ps = await sh(docker, container, "ps -eo user:32=,ppid=,args=");
  return ps.trim().split("\n").map((l) => l.trim().replace(/\s+/g, " ")).filter((l) =>
    !/ (init \[2\]|\/bin\/sh \/sbin\/init|\/usr\/sbin\/(rsyslogd|cron|dovecot|exim4)|sshd: \/usr\/sbin\/sshd|dovecot\/|ps -eo)/
      .test(l)
  );
}

Deno.test({
  name: `Real SSH sessions, mail and shell history between two Debian deckies${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    const image = await buildDebianImage(docker);
    await docker.createNetwork({ name: "lan", subnet: "198.18.13.0/24" });
    for (const name of Object.keys(IPS)) {
      const id = await docker.createContainer({
        image,
        name: `${name}-ssh`,
        hostname: name,
        cmd: DEBIAN_IMAGE_CMD,
        networkMode: "lan",
        ipv4Address: IPS[name],
      });
      // A loaded CI machine may take longer than the default 8 s.
      await docker.startContainer(id, { timeoutMs: 60_000 });
    }
    // sysvinit starts rsyslog, cron, exim4, dovecot and sshd one after another: slow when loaded.
    for (const name of Object.keys(IPS)) {
      await waitUntil(async () => {
        const r = await docker.exec(`${name}-ssh`, ["sh", "-c", "pidof sshd && pidof dovecot"]);
        return r.exitCode === 0;
      }, { what: `sshd and dovecot of ${name}`, timeoutMs: 90_000 });
    }

    const handle = await openMigratedDatabase("sqlite::memory:");
    await using _db = { [Symbol.asyncDispose]: () => handle.close() };
    const clock = { now: new Date("2026-12-01T10:00:00Z") };
    const repos = createRepositories(handle, { clock: () => clock.now });
    await addDecky(repos, "ws-01");
    await addDecky(repos, "ws-02");
    const pool = parsePersonas(
      JSON.parse(
        await Deno.readTextFile(new URL("../../deploy/personas.example.json", import.meta.url)),
      ),
    ).personas.map((p) => ({ ...p, active_hours: "00:00-23:59" }));
    await repos.settings.put(REALISM_SETTINGS_KEY, {
      action_weights: { traffic: 1, file: 1, email: 1 },
      canary_probability: 0,
      weights: { ...DEFAULT_REALISM_CONFIG.weights, cache_tmp: 0, log_cron: 20 },
    });
    // Every ssh session is watched from the source decky while it runs.
    const seenDuringSessions: string[][] = [];
    const watched: DockerClient = new Proxy(docker, {
      get(target, prop, receiver) {
        if (prop !== "exec") return Reflect.get(target, prop, receiver);
        return async (container: string, argv: readonly string[], options?: object) => {
          if (!String(argv[2]).includes("exec ssh -tt")) {
            return await target.exec(container, argv, options);
          }
          const running = target.exec(container, argv, options);
          let seen: string[] = [];
          await waitUntil(async () => {
            seen = await strayProcesses(target, container);
            // The client itself, once its shell wrapper has exec'd it (before that, a loaded
            // machine shows the wrapper, whose command line also holds "ssh -tt").
            return seen.some((l) => /^\S+ \d+ ssh -tt /.test(l));
          }, { what: "the ssh client in ps" }).catch(() => {});
          seenDuringSessions.push(seen);
          return await running;
        };
      },
    });
    await using bus = new MemoryBus({ channel: `real-activity-${crypto.randomUUID()}` });
    const orchestrator = new Orchestrator({
      repos,
      docker: watched,
      bus,
      log: new Logger({ level: "error" }),
      personaPool: { load: () => Promise.resolve({ personas: pool }) },
      makeLlm: () => null,
      llmByDefault: false,
      random: mulberry32(11),
      now: () => clock.now,
    });
    await orchestrator.reloadSettings();
    const done = { traffic: 0, email: 0, reply: 0, file: 0, cron: 0 };
    const enough = () => done.traffic >= 2 && done.email >= 3 && done.file >= 2 && done.cron >= 1;
    for (let i = 0; i < 150 && !enough(); i++) {
      // Ten minutes a tick: replies become due within the personas' latencies.
      clock.now = new Date(clock.now.getTime() + 10 * 60_000);
      const r = await orchestrator.tick();
      assert.equal(r.ok, true, r.detail);
      if (r.kind === "traffic") done.traffic++;
      if (r.kind === "email") done.email++;
      if (r.action === "reply") done.reply++;
      if (r.kind === "file" && r.action === "create") done.file++;
      if (r.action === "cron") done.cron++;
    }
    assert.ok(enough(), JSON.stringify(done));

    const { items: events } = await repos.orchestrator.listEvents({ limit: 1000, offset: 0 });
    const sessions = events.filter((e) => e.kind === "traffic").map((e) => ({
      src: e.src_decky_name!,
      dst: e.dst_decky_name!,
      ...JSON.parse(e.payload) as { login: string; dst_ip: string },
    }));

    await t.step("the peer's own sshd logs each session, and only those", async () => {
      for (const dst of Object.keys(IPS)) {
        const auth = await sh(docker, `${dst}-ssh`, "cat /var/log/auth.log");
        const accepted = [
          ...auth.matchAll(
            /sshd\[\d+\]: Accepted publickey for (\w+) from ([\d.]+) port \d+ ssh2: ED25519 SHA256:\S+$/gm,
          ),
        ]
          .map((m) => `${m[1]} ${m[2]}`).sort();
        const expected = sessions.filter((s) => s.dst === dst).map((s) =>
          `${s.login} ${IPS[s.src]}`
        )
          .sort();
        assert.deepEqual(accepted, expected, dst);
        const last = await sh(docker, `${dst}-ssh`, "last -w -i");
        for (const s of sessions.filter((s) => s.dst === dst)) {
          assert.match(
            last,
            new RegExp(`^${s.login} +pts/\\d+ +${IPS[s.src].replaceAll(".", "\\.")} `, "m"),
          );
        }
      }
    });

    await t.step("decnet orchestrate --once runs a real SSH session from the CLI", async () => {
      const home = await Deno.makeTempDir();
      try {
        const cliDb = await openMigratedDatabase(`sqlite:${home}/decnet.db`);
        const cliRepos = createRepositories(cliDb);
        for (const name of Object.keys(IPS)) await addDecky(cliRepos, name);
        await cliRepos.settings.put(REALISM_SETTINGS_KEY, {
          action_weights: { traffic: 1, file: 0, email: 0 },
        });
        await cliDb.close();
        await Deno.writeTextFile(`${home}/personas.json`, JSON.stringify(pool));
        const accepted = async () =>
          (await sh(docker, "ws-01-ssh", "cat /var/log/auth.log") +
            await sh(docker, "ws-02-ssh", "cat /var/log/auth.log")).split("Accepted publickey")
            .length;
        const before = await accepted();
        const run = await runDecnet(["orchestrate", "--once", "--json", "--no-llm"], {
          home,
          env: {
            DOCKER_HOST: daemon.dockerHost,
            DECNET_LOG_LEVEL: "error",
            DECNET_REALISM_PERSONAS: `${home}/personas.json`,
          },
        });
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.equal(result.kind, "traffic", run.stdout);
        assert.equal(result.ok, true, result.detail);
        await waitUntil(async () => await accepted() === before + 1, {
          what: "one more session in a peer's auth.log",
        });
      } finally {
        await Deno.remove(home, { recursive: true });
      }
    });

    await t.step("keys, authorized_keys and known_hosts as OpenSSH leaves them", async () => {
      const s = sessions[0];
      const home = `/home/${s.login}`;
      const src = await sh(
        docker,
        `${s.src}-ssh`,
        'cd "$1" && stat -c "%n %U %a" .ssh .ssh/id_ed25519 .ssh/id_ed25519.pub .ssh/known_hosts .bash_history && cat .ssh/known_hosts .bash_history',
        home,
      );
      assert.match(src, new RegExp(`^\\.ssh ${s.login} 700$`, "m"));
      assert.match(src, new RegExp(`^\\.ssh/id_ed25519 ${s.login} 600$`, "m"));
      assert.match(src, new RegExp(`^\\.bash_history ${s.login} 600$`, "m"));
      assert.match(src, /^\|1\|\S+ ssh-ed25519 \S+$/m, "a hashed host key entry");
      assert.match(src, new RegExp(`^ssh ${s.dst_ip.replaceAll(".", "\\.")}$`, "m"));
      const hostKey = (await sh(docker, `${s.dst}-ssh`, "cat /etc/ssh/ssh_host_ed25519_key.pub"))
        .split(" ")[1];
      assert.ok(src.includes(hostKey), "known_hosts holds the peer's real host key");
      const dst = await sh(
        docker,
        `${s.dst}-ssh`,
        'cd "$1" && stat -c "%n %U %a" .ssh .ssh/authorized_keys .bash_history && cat .bash_history',
        home,
      );
      assert.match(dst, new RegExp(`^\\.ssh/authorized_keys ${s.login} 600$`, "m"));
      assert.match(dst, /^exit$/m, "the peer's bash kept the session's history");
    });

    await t.step("no odd process during or after a session", async () => {
      assert.ok(seenDuringSessions.length > 0);
      for (const seen of seenDuringSessions) {
        assert.equal(seen.length, 1, seen.join("\n"));
        assert.match(
          seen[0],
          /^\w+ 0 ssh -tt -o BatchMode=yes -o StrictHostKeyChecking=accept-new 198\.18\.13\.1\d$/,
        );
        assert.doesNotMatch(seen[0], /^root /);
      }
      for (const name of Object.keys(IPS)) {
        assert.deepEqual(await strayProcesses(docker, `${name}-ssh`), [], name);
      }
    });

    await t.step("mail lands in the mailbox dovecot serves, as its LDA stores it", async () => {
      const { items: mails } = await repos.orchestrator.listEmails({ limit: 1000, offset: 0 });
      assert.ok(mails.length >= 3);
      const byId = new Map(mails.map((m) => [m.message_id, m]));
      for (const m of mails) {
        assert.equal(m.success, 1, m.error ?? "");
        const login = loginFor(pool.find((p) => p.email === m.recipient)!);
        const container = `${m.mail_decky_name}-ssh`;
        const ids = await sh(
          docker,
          container,
          'doveadm fetch -u "$1" hdr.message-id mailbox INBOX all',
          login,
        );
        assert.ok(ids.includes(m.message_id), `${m.message_id} served to ${login}`);
        assert.equal(m.path, `/var/mail/${login}`);
        const box = await sh(docker, container, 'stat -c "%U %G %a" "$1"; cat "$1"', m.path);
        assert.match(box, new RegExp(`^${login} mail 600\n`));
        assert.doesNotMatch(box, /\r/);
        assert.match(box, new RegExp(`^Return-Path: <${m.sender.replaceAll(".", "\\.")}>$`, "m"));
        assert.match(box, /^Received: from ws-0\d$/m);
        if (m.in_reply_to) {
          const parent = byId.get(m.in_reply_to)!;
          assert.notEqual(parent.sender, m.sender, "nobody answers her own message");
          const sender = pool.find((p) => p.email === m.sender)!;
          assert.ok(new Date(m.ts) >= replyDueAt(parent, sender)!, "reply latency honoured");
        }
      }
    });

    await t.step("persona cron jobs through the real crontab; no forged cron line", async () => {
      const jobs = events.filter((e) => e.kind === "file" && e.payload.includes('"action":"cron"'))
        .map((e) => ({
          decky: e.dst_decky_name!,
          ...JSON.parse(e.payload) as { owner: string; path: string; crontab: string },
        }));
      assert.ok(jobs.length >= 1);
      for (const job of jobs) {
        const c = `${job.decky}-ssh`;
        const tab = await sh(docker, c, 'crontab -l -u "$1"', job.owner);
        assert.ok(tab.split("\n").includes(job.crontab), tab);
        const spool = await sh(
          docker,
          c,
          'stat -c "%U %G %a" "/var/spool/cron/crontabs/$1" "$2"',
          job.owner,
          job.path,
        );
        assert.equal(spool, `${job.owner} crontab 600\n${job.owner} ${job.owner} 755\n`);
        const history = await sh(docker, c, 'cat "$1"', `/home/${job.owner}/.bash_history`);
        assert.match(history, /^crontab -e$/m);
      }
      for (const name of Object.keys(IPS)) {
        const syslog = await sh(docker, `${name}-ssh`, "cat /var/log/syslog");
        for (const m of syslog.matchAll(/CRON\[\d+\]: \((\w+)\) CMD \((.*)\)$/gm)) {
          if (m[1] === "root") continue;
          const tab = await sh(docker, `${name}-ssh`, 'crontab -l -u "$1"', m[1]);
          assert.ok(tab.includes(m[2]), `${m[0]} is in ${m[1]}'s crontab`);
        }
      }
    });

    await t.step("files only in real homes, each with the user's own history", async () => {
      const files = events.filter((e) => e.kind === "file").map((e) =>
        JSON.parse(e.payload) as { path: string; owner: string; action: string }
      ).filter((f) => f.action === "create");
      assert.ok(files.length >= 2);
      for (const f of files) {
        assert.match(f.path, new RegExp(`^/home/${f.owner}/`));
        const decky = events.find((e) => e.kind === "file" && e.payload.includes(f.path))!
          .dst_decky_name!;
        const history = await sh(
          docker,
          `${decky}-ssh`,
          'stat -c "%U %a" "$1/.bash_history"; cat "$1/.bash_history"',
          `/home/${f.owner}`,
        );
        assert.match(history, new RegExp(`^${f.owner} 600\n`));
        const rel = f.path.slice(`/home/${f.owner}/`.length);
        assert.ok(history.includes(rel), `${rel} in the history of ${f.owner}`);
      }
    });
  },
});
