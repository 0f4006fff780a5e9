import assert from "node:assert/strict";
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import type { Repositories } from "../../core/db/mod.ts";
import { openDocker } from "../../core/docker/mod.ts";
import type { DockerClient } from "../../core/docker/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { canaryCultivator, Orchestrator, personasForDecky } from "../../core/orchestrator/mod.ts";
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
import { harnessSurvey } from "../core/orchestrator/_harness.ts";
import { SurveyCache } from "../../core/survey/mod.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

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

async function startDecky(docker: DockerClient, name: string, service: string) {
  const id = await docker.createContainer({
    image: TEST_IMAGE,
    name: `${name}-${service}`,
    init: true,
    networkMode: "decoys",
    ipv4Address: IPS[name],
  });
  await docker.startContainer(id);
}

async function addDecky(repos: Repositories, name: string, services: string[]): Promise<string> {
  // Which personas live on a decky follows its uuid; only Sam has an account in the image, so a
  // decky where Sam does not live gets no home files, edits or bait, whatever the planner picks.
  let uuid: string;
  do uuid = crypto.randomUUID(); while (
    !personasForDecky(uuid, personas()).some((p) => p.email === "user@corp.example")
  );
  const d = await repos.fleet.upsert({
    uuid,
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

Deno.test({
  name: "Orchestrator ticks do the real thing on decky containers",
  ignore: dockerdUnavailable() !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    await buildTestImage(docker);
    await docker.createNetwork({ name: "decoys", subnet: "192.0.2.0/24" });
    for (const name of ["ws-01", "ws-02"]) await startDecky(docker, name, "ssh");
    await startDecky(docker, "mail-01", "imap");
    const handle = await openMigratedDatabase("sqlite::memory:");
    await using _db = { [Symbol.asyncDispose]: () => handle.close() };
    const repos = createRepositories(handle);
    for (const name of ["ws-01", "ws-02"]) await addDecky(repos, name, ["ssh"]);
    await addDecky(repos, "mail-01", ["imap"]);
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

    await t.step("traffic: no session from deckies without an ssh client", async () => {
      await only("traffic");
      const r = await orchestrator.tick();
      assert.equal(r.kind, null, r.detail);
      const { total } = await repos.orchestrator.listEvents({ limit: 1, offset: 0 });
      assert.equal(total, 0);
      // Real sessions between Debian deckies: tests/integration/real_activity_test.ts.
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
        cultivate: canaryCultivator({
          canaryHttpBase: "http://192.0.2.1:8088",
          canaryDnsZone: "",
          canaryAllowLocal: true,
        }),
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

    await t.step("email: no mail on a decky without dovecot", async () => {
      await only("email");
      const r = await orchestrator.tick();
      assert.equal(r.kind, null, r.detail);
      assert.equal((await repos.orchestrator.listEmails({ limit: 1, offset: 0 })).total, 0);
      const spool = await docker.exec("mail-01-imap", ["ls", "-A", "/var/mail", "/var/spool"]);
      assert.equal(text(spool.stdout).trim(), "", "nothing written");
      // Real delivery through dovecot's LDA: tests/integration/real_activity_test.ts.
    });

    await t.step("Docker unreachable: ticks fail cleanly and recover when it returns", async () => {
      await only("file", { canary_probability: 0 });
      // A file tick with the decky's survey fresh, so the next one plans without Docker.
      let r;
      for (let i = 0; i < 30 && r?.kind !== "file"; i++) r = await orchestrator.tick();
      assert.equal(r?.ok, true, String(r?.detail));
      const moved = `${daemon.socketPath}.away`;
      await Deno.rename(daemon.socketPath, moved);
      try {
        let failed;
        for (let i = 0; i < 30 && failed?.kind !== "file"; i++) failed = await orchestrator.tick();
        assert.equal(failed?.ok, false);
        assert.match(String(failed?.detail), /DockerUnreachableError/);
      } finally {
        await Deno.rename(moved, daemon.socketPath);
      }
      let back;
      for (let i = 0; i < 30 && back?.kind !== "file"; i++) back = await orchestrator.tick();
      assert.equal(back?.ok, true, String(back?.detail));
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
    // A Debian decky with dovecot and the personas' accounts.
    surveys: new SurveyCache(docker, {
      survey: () => Promise.resolve(harnessSurvey(personas(), "192.0.2.20")),
    }),
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
