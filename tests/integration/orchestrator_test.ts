import assert from "node:assert/strict";
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { Repositories } from "../../core/db/mod.ts";
import { openDocker } from "../../core/docker/mod.ts";
import type { DockerClient } from "../../core/docker/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { canaryCultivator, Orchestrator } from "../../core/orchestrator/mod.ts";
import {
  LLMCircuitBreaker,
  loginFor,
  mulberry32,
  OllamaBackend,
  REALISM_SETTINGS_KEY,
} from "../../realism/mod.ts";
import type { Persona } from "../../realism/mod.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE } from "../infra/test_image.ts";
import { makePersona } from "../realism/_fixtures.ts";
import { runDecnet } from "../infra/run_decnet.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

const BANNERS: Record<string, string> = {
  "ws-01": "SSH-2.0-OpenSSH_9.2p1 Debian-2",
  "ws-02": "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u3",
};
const IPS: Record<string, string> = {
  "ws-01": "192.0.2.11",
  "ws-02": "192.0.2.12",
  "mail-01": "192.0.2.20",
};

/** "user" exists in the test image (uid 1000); "ana" does not. */
function personas(): Persona[] {
  return [
    makePersona({ name: "Sam User", email: "user@corp.example", active_hours: "00:00-23:59" }),
    makePersona({
      name: "Ana Lopez",
      email: "ana@corp.example",
      active_hours: "00:00-23:59",
      timezone: "Europe/Madrid",
      language: "es",
    }),
  ];
}

async function startDecky(docker: DockerClient, name: string, service: string, cmd?: string[]) {
  const id = await docker.createContainer({
    image: TEST_IMAGE,
    name: `${name}-${service}`,
    init: true,
    networkMode: "decoys",
    ipv4Address: IPS[name],
    ...(cmd ? { cmd } : {}),
  });
  await docker.startContainer(id);
}

async function addDecky(repos: Repositories, name: string, services: string[]): Promise<string> {
  const d = await repos.fleet.upsert({
    hostUuid: "local",
    name,
    ip: IPS[name],
    services,
    images: {},
    network: "decoys",
    networkDriver: "bridge",
    osPersona: "linux",
  }, "running");
  return d.uuid;
}

async function sh(docker: DockerClient, container: string, script: string, ...args: string[]) {
  const r = await docker.exec(container, ["sh", "-c", script, "sh", ...args]);
  assert.equal(r.exitCode, 0, text(r.stderr));
  return r.stdout;
}

function headers(eml: string): Map<string, string[]> {
  const head = eml.split("\r\n\r\n")[0].replace(/\r\n[ \t]/g, " ");
  const map = new Map<string, string[]>();
  for (const line of head.split("\r\n")) {
    const i = line.indexOf(":");
    assert.ok(i > 0, `header line: ${line}`);
    const k = line.slice(0, i).toLowerCase();
    map.set(k, [...(map.get(k) ?? []), line.slice(i + 1).trim()]);
  }
  return map;
}

Deno.test({
  name: "Orchestrator ticks do the real thing on decky containers",
  ignore: dockerdUnavailable() !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    await buildTestImage(docker);
    await docker.createNetwork({ name: "decoys", subnet: "192.0.2.0/24" });
    for (const name of ["ws-01", "ws-02"]) {
      await startDecky(docker, name, "ssh", [
        "nc",
        "-ll",
        "-p",
        "22",
        "-e",
        "sh",
        "-c",
        `echo ${BANNERS[name]}`,
      ]);
    }
    await startDecky(docker, "mail-01", "imap");
    const handle = await openMigratedDatabase("sqlite::memory:");
    await using _db = { [Symbol.asyncDispose]: () => handle.close() };
    const repos = createRepositories(handle);
    const uuids: Record<string, string> = {
      "ws-01": await addDecky(repos, "ws-01", ["ssh"]),
      "ws-02": await addDecky(repos, "ws-02", ["ssh"]),
      "mail-01": await addDecky(repos, "mail-01", ["imap"]),
    };
    await using bus = new MemoryBus({ channel: `orch-int-${crypto.randomUUID()}` });
    const clock = { now: new Date("2026-11-18T14:00:00.000Z") };
    const orchestrator = new Orchestrator({
      repos,
      docker,
      bus,
      log: new Logger({ level: "error" }),
      personaPool: { load: () => Promise.resolve({ personas: personas() }) },
      makeLlm: () => null,
      llmByDefault: false,
      random: mulberry32(21),
      now: () => clock.now,
    });
    const only = async (kind: string, extra: Record<string, unknown> = {}) => {
      await repos.settings.put(REALISM_SETTINGS_KEY, {
        action_weights: { traffic: 0, file: 0, email: 0, [kind]: 1 },
        ...extra,
      });
      await orchestrator.reloadSettings();
    };

    await t.step("traffic: the banner comes from the destination's listener", async () => {
      await only("traffic");
      for (let i = 0; i < 3; i++) {
        const r = await orchestrator.tick();
        assert.equal(r.kind, "traffic");
        assert.equal(r.ok, true, r.detail);
      }
      const { items } = await repos.orchestrator.listEvents({
        limit: 10,
        offset: 0,
        kind: "traffic",
      });
      assert.equal(items.length, 3);
      for (const e of items) {
        assert.notEqual(e.src_decky_uuid, e.dst_decky_uuid);
        const payload = JSON.parse(e.payload);
        assert.equal(payload.banner, BANNERS[e.dst_decky_name!]);
        assert.equal(payload.tool, "nc");
      }
    });

    const fileOf = async (path: string, container: string) => {
      const [uid, mode, mtime] = text(await sh(docker, container, 'stat -c "%u %a %Y" "$1"', path))
        .trim().split(" ");
      return {
        uid: Number(uid),
        mode,
        mtime: Number(mtime),
        bytes: await sh(docker, container, 'cat "$1"', path),
      };
    };

    await t.step("file: created with the right bytes, owner, mode and mtime", async () => {
      await only("file", { canary_probability: 0 });
      let r;
      for (let i = 0; i < 30 && r?.action !== "create"; i++) r = await orchestrator.tick();
      assert.equal(r?.action, "create", String(r?.detail));
      assert.equal(r?.ok, true, String(r?.detail));
      const event =
        (await repos.orchestrator.listEvents({ limit: 1, offset: 0, kind: "file" })).items[0];
      const payload = JSON.parse(event.payload);
      const file = await fileOf(payload.path, payload.container);
      const row =
        (await repos.syntheticFiles.listForDecky(event.dst_decky_uuid!, { limit: 50, offset: 0 }))
          .items.find((f) => f.path === payload.path)!;
      assert.equal(text(file.bytes), row.last_body);
      assert.equal(file.mode, "644");
      assert.equal(file.mtime, Math.floor(Date.parse(payload.mtime) / 1000));
      const persona = personas().find((p) => p.name === payload.persona)!;
      assert.equal(file.uid, loginFor(persona) === "user" ? 1000 : 0);
    });

    await t.step("file: an edit changes the file and bumps the row", async () => {
      let r;
      for (let i = 0; i < 300 && r?.action !== "edit"; i++) {
        clock.now = new Date(clock.now.getTime() + 3_600_000);
        r = await orchestrator.tick();
      }
      assert.equal(r?.action, "edit", "an edit within 300 ticks");
      assert.equal(r?.ok, true, String(r?.detail));
      const event =
        (await repos.orchestrator.listEvents({ limit: 1, offset: 0, kind: "file" })).items[0];
      const payload = JSON.parse(event.payload);
      assert.equal(payload.action, "edit");
      assert.ok(payload.edit_count >= 1);
      const file = await fileOf(payload.path, payload.container);
      const row =
        (await repos.syntheticFiles.listForDecky(event.dst_decky_uuid!, { limit: 500, offset: 0 }))
          .items.find((f) => f.path === payload.path)!;
      assert.equal(row.edit_count, payload.edit_count);
      assert.equal(text(file.bytes), row.last_body);
      assert.equal(file.mtime, Math.floor(Date.parse(row.last_modified) / 1000));
    });

    await t.step("file: canary classes go through the cultivator", async (t) => {
      const canaryOrchestrator = new Orchestrator({
        repos,
        docker,
        bus,
        log: new Logger({ level: "error" }),
        personaPool: { load: () => Promise.resolve({ personas: personas() }) },
        makeLlm: () => null,
        llmByDefault: false,
        random: mulberry32(33),
        now: () => clock.now,
        cultivate: canaryCultivator({ canaryHttpBase: "http://192.0.2.1:8088", canaryDnsZone: "" }),
      });
      const onlyCanary = async (cls: string) => {
        const weights: Record<string, number> = {
          canary_aws_creds: 0,
          canary_env_file: 0,
          canary_git_config: 0,
          canary_ssh_key: 0,
          canary_honeydoc: 0,
          canary_honeydoc_docx: 0,
          canary_honeydoc_pdf: 0,
          canary_mysql_dump: 0,
          [cls]: 1,
        };
        await repos.settings.put(REALISM_SETTINGS_KEY, {
          action_weights: { traffic: 0, file: 1, email: 0 },
          canary_probability: 1,
          weights,
        });
        await canaryOrchestrator.reloadSettings();
      };
      await t.step("binary bait keeps its bytes, mode and backdate; token planted", async () => {
        await onlyCanary("canary_honeydoc_docx");
        let r;
        for (let i = 0; i < 30 && r?.action !== "create"; i++) r = await canaryOrchestrator.tick();
        assert.equal(r?.ok, true, String(r?.detail));
        const event = (await repos.orchestrator.listEvents({ limit: 1, offset: 0, kind: "file" }))
          .items[0];
        const payload = JSON.parse(event.payload);
        assert.equal(payload.content_class, "canary_honeydoc_docx");
        assert.equal(payload.source, "canary");
        const token = await repos.canary.getToken(payload.token_uuid);
        assert.equal(token?.state, "planted");
        assert.equal(token?.placement_path, payload.path);
        const file = await fileOf(payload.path, payload.container);
        assert.deepEqual([...file.bytes.slice(0, 4)], [0x50, 0x4b, 0x03, 0x04], "a zip (DOCX)");
        assert.equal(file.bytes.length, payload.bytes);
        assert.equal(file.mode, payload.mode.replace(/^0/, ""));
        assert.equal(file.mtime, Math.floor(Date.parse(payload.mtime) / 1000));
        assert.ok(Date.parse(payload.mtime) < clock.now.getTime() - 3_600_000, "backdated");
      });
      await t.step("missing canary configuration falls back to an ordinary file", async () => {
        await onlyCanary("canary_mysql_dump");
        let r;
        for (let i = 0; i < 30 && r?.action !== "create"; i++) r = await canaryOrchestrator.tick();
        assert.equal(r?.ok, true, String(r?.detail));
        const event = (await repos.orchestrator.listEvents({ limit: 1, offset: 0, kind: "file" }))
          .items[0];
        assert.doesNotMatch(JSON.parse(event.payload).content_class, /^canary_/);
      });
    });

    await t.step("email: RFC 5322 files with thread links in the imap container", async () => {
      await only("email");
      for (let i = 0; i < 8; i++) {
        clock.now = new Date(clock.now.getTime() + 900_000);
        const r = await orchestrator.tick();
        assert.equal(r.ok, true, r.detail);
      }
      const { items } = await repos.orchestrator.listEmails({ limit: 20, offset: 0 });
      const reply = items.find((m) => m.in_reply_to !== null);
      assert.ok(reply, "a reply among 8 messages");
      const eml = text(await sh(docker, "mail-01-imap", 'cat "$1"', reply.path));
      assert.ok(reply.path.startsWith("/var/spool/mail-archive/"));
      assert.doesNotMatch(eml, /decnet/i);
      const h = headers(eml);
      assert.deepEqual(h.get("mime-version"), ["1.0"]);
      assert.deepEqual(h.get("message-id"), [reply.message_id]);
      assert.deepEqual(h.get("in-reply-to"), [reply.in_reply_to]);
      assert.deepEqual(h.get("references"), [reply.references_chain]);
      assert.match(h.get("from")![0], /<(user|ana)@corp\.example>$/);
      assert.match(h.get("subject")![0], /^Re: /);
      assert.match(h.get("date")![0], /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
      assert.match(h.get("content-type")![0], /charset=UTF-8/);
      const dateMs = Date.parse(h.get("date")![0].replace(/ ([+-]\d{2})(\d{2})$/, " $1:$2"));
      assert.equal(dateMs, Math.floor(Date.parse(reply.ts) / 1000) * 1000);
      const mtime = Number(
        text(await sh(docker, "mail-01-imap", 'stat -c %Y "$1"', reply.path)).trim(),
      );
      assert.equal(mtime * 1000, dateMs);
      assert.ok(reply.message_id.endsWith(`@corp.example>`));
      assert.equal(uuids["mail-01"], reply.mail_decky_uuid);
    });

    await t.step("decnet orchestrate --once runs a traffic tick from the CLI", async () => {
      const home = await Deno.makeTempDir();
      try {
        const cliDb = await openMigratedDatabase(`sqlite:${home}/decnet.db`);
        const cliRepos = createRepositories(cliDb);
        for (const name of ["ws-01", "ws-02"]) await addDecky(cliRepos, name, ["ssh"]);
        await cliRepos.settings.put(REALISM_SETTINGS_KEY, {
          action_weights: { traffic: 1, file: 0, email: 0 },
        });
        await cliDb.close();
        const run = await runDecnet(["orchestrate", "--once", "--json", "--no-llm"], {
          home,
          env: { DOCKER_HOST: daemon.dockerHost, DECNET_LOG_LEVEL: "error" },
        });
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.equal(result.kind, "traffic");
        assert.equal(result.ok, true);
        assert.match(result.detail, /SSH-2\.0-OpenSSH_/);
      } finally {
        await Deno.remove(home, { recursive: true });
      }
    });

    await t.step("Docker unreachable: ticks fail cleanly and recover when it returns", async () => {
      await only("traffic");
      const moved = `${daemon.socketPath}.away`;
      await Deno.rename(daemon.socketPath, moved);
      try {
        const r = await orchestrator.tick();
        assert.equal(r.ok, false);
        assert.match(r.detail, /DockerUnreachableError/);
      } finally {
        await Deno.rename(moved, daemon.socketPath);
      }
      const back = await orchestrator.tick();
      assert.equal(back.ok, true, back.detail);
    });
  },
});

Deno.test("Orchestrator opens the breaker on a hung LLM server and goes on with templates", async () => {
  let calls = 0;
  const hung = new Set<(v: Response) => void>();
  await using server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => {
    calls++;
    // Never answers on its own; released when the test ends.
    return new Promise<Response>((resolve) => hung.add(resolve));
  });
  const handle = await openMigratedDatabase("sqlite::memory:");
  await using _db = { [Symbol.asyncDispose]: () => handle.close() };
  const repos = createRepositories(handle);
  await repos.settings.put(REALISM_SETTINGS_KEY, {
    action_weights: { traffic: 0, file: 0, email: 1 },
  });
  await repos.fleet.upsert({
    hostUuid: "local",
    name: "mail-01",
    ip: "192.0.2.20",
    services: ["imap"],
    images: {},
    network: null,
    networkDriver: null,
    osPersona: "linux",
  }, "running");
  await using bus = new MemoryBus({ channel: `orch-llm-${crypto.randomUUID()}` });
  const execs: string[] = [];
  const docker = {
    exec: (container: string) => {
      execs.push(container);
      return Promise.resolve({ exitCode: 0, stdout: new Uint8Array(), stderr: new Uint8Array() });
    },
  } as unknown as DockerClient;
  const orchestrator = new Orchestrator({
    repos,
    docker,
    bus,
    log: new Logger({ level: "error" }),
    personaPool: { load: () => Promise.resolve({ personas: personas() }) },
    makeLlm: () =>
      new OllamaBackend({ url: `http://127.0.0.1:${server.addr.port}`, model: "llama3.1" }),
    llmByDefault: true,
    llmTimeoutMs: 300,
    breaker: new LLMCircuitBreaker(),
    random: mulberry32(4),
  });
  for (let i = 0; i < 5; i++) {
    const r = await orchestrator.tick();
    assert.equal(r.ok, true, r.detail);
    assert.match(r.detail, /\(template\)$/);
  }
  assert.equal(calls, 3);
  assert.equal(orchestrator.extras().breaker_state, "open");
  assert.equal(execs.length, 5);
  for (const resolve of hung) resolve(new Response("late"));
});
