import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { REALISM_SETTINGS_KEY } from "../../../realism/mod.ts";
import type { CanaryCultivator } from "../../../core/orchestrator/mod.ts";
import { FakeBackend, LLMCircuitBreaker } from "../../../realism/mod.ts";
import type { GenerateResult, LLMBackend } from "../../../realism/mod.ts";
import { SurveyCache } from "../../../core/survey/mod.ts";
import { FakeDocker } from "./_fake_docker.ts";
import { harnessSurvey, makeHarness, settle, twoPersonas } from "./_harness.ts";

const only = (kind: "traffic" | "file" | "email", extra: Record<string, unknown> = {}) => ({
  action_weights: { traffic: 0, file: 0, email: 0, [kind]: 1 },
  ...extra,
});

Deno.test("Orchestrator.tick() runs SSH traffic between two ssh deckies", async () => {
  await using h = await makeHarness();
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("traffic"));
  const a = await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  const b = await h.addDecky("ws-02", ["ssh"], "192.0.2.12");
  const result = await h.orchestrator.tick();
  assert.equal(result.kind, "traffic");
  assert.equal(result.ok, true, result.detail);
  const [key, authorize, session] = h.docker.execs;
  assert.equal(h.docker.execs.length, 3);
  const src = key.container;
  assert.match(src, /^ws-0[12]-ssh$/);
  const dst = src === "ws-01-ssh" ? "ws-02-ssh" : "ws-01-ssh";
  const dstIp = src === "ws-01-ssh" ? "192.0.2.12" : "192.0.2.11";
  const login = key.options.user!;
  assert.ok(login === "ana" || login === "juergen", login);
  assert.match(key.argv[2], /ssh-keygen -q -t ed25519/);
  assert.equal(authorize.container, dst);
  assert.equal(authorize.options.user, login, "authorised as the persona, in her home");
  assert.deepEqual(authorize.argv.slice(4), [h.docker.publicKey]);
  assert.equal(session.container, src);
  assert.equal(session.options.user, login);
  const authorized = h.docker.publicKey.split(" ").slice(0, 2).join(" ");
  assert.deepEqual(session.argv.slice(4), [dstIp, authorized, "22"]);
  assert.match(
    session.argv[2],
    /exec ssh -tt -o BatchMode=yes -o StrictHostKeyChecking=accept-new "\$@"/,
  );
  assert.deepEqual(h.docker.created, [], "no gate for a peer whose sshd owns port 22");
  assert.match(new TextDecoder().decode(session.stdin!), /\nexit\n$/);
  const { items } = await h.repos.orchestrator.listEvents({ limit: 10, offset: 0 });
  assert.equal(items.length, 1);
  assert.equal(items[0].kind, "traffic");
  assert.equal(items[0].success, 1);
  assert.deepEqual(new Set([items[0].src_decky_uuid, items[0].dst_decky_uuid]), new Set([a, b]));
  assert.equal(JSON.parse(items[0].payload).login, login);
  assert.equal(JSON.parse(items[0].payload).dst_ip, dstIp);
  await settle();
  assert.equal(h.published.length, 1);
  assert.equal(h.published[0].topic, `orchestrator.traffic.${result.decky?.replace("-", "-")}`);
  assert.equal(h.published[0].payload.ok, true);
});

Deno.test("Orchestrator.tick() logs in to a sensor-served peer's own sshd on its fleet port, the source let through first", async () => {
  await using h = await makeHarness();
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("traffic"));
  const sensor = { ssh: "local/netd:0.1.0" };
  const ips: Record<string, string> = { "ws-01": "192.0.2.11", "ws-02": "192.0.2.12" };
  for (const [name, ip] of Object.entries(ips)) await h.addDecky(name, ["ssh"], ip, sensor);
  const gates = () => h.docker.execs.filter((e) => e.argv[2].includes("command -v nft"));
  h.docker.answer = (e) =>
    e.argv[2].includes("command -v nft")
      ? { exitCode: 0, stdout: new TextEncoder().encode("open\n"), stderr: new Uint8Array() }
      : undefined;
  const result = await h.orchestrator.tick();
  assert.equal(result.ok, true, result.detail);
  const session = h.docker.execs.find((e) => e.argv[2].includes("exec ssh -tt"))!;
  const src = session.container;
  const dst = src === "ws-01" ? "ws-02" : "ws-01";
  assert.equal(session.argv[4], ips[dst]);
  assert.equal(session.argv[6], "2222");
  // The gate: a helper of the peer's own image in the peer's namespace, with NET_ADMIN.
  assert.equal(h.docker.created.length, 1);
  const helper = h.docker.created[0];
  assert.equal(helper.image, `image-of-${dst}`);
  assert.equal(helper.networkMode, `container:${dst}`);
  assert.deepEqual(helper.capAdd, ["NET_ADMIN"]);
  assert.equal(gates().length, 1);
  assert.equal(gates()[0].container, "created-1");
  assert.match(
    gates()[0].argv[4],
    new RegExp(`add element inet filter ssh_peers \\{ ${ips[src]} \\}`),
  );
  assert.deepEqual(h.docker.removed, ["created-1"], "the helper is gone");
  assert.deepEqual(h.docker.copies, [], "no sensor is told anything: it sees no session");
  const [event] = (await h.repos.orchestrator.listEvents({ limit: 10, offset: 0 })).items;
  assert.equal(JSON.parse(event.payload).port, 2222);
  assert.match(result.detail, new RegExp(`-> ${dst}:2222 `));
});

Deno.test("Orchestrator.tick() tells a sensor-served peer without a fleet port, before the session, that the key is the fleet's", async () => {
  await using h = await makeHarness();
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("traffic"));
  const sensor = { ssh: "local/netd:0.1.0" };
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11", sensor);
  await h.addDecky("ws-02", ["ssh"], "192.0.2.12", sensor);
  const result = await h.orchestrator.tick();
  assert.equal(result.ok, true, result.detail);
  const session = h.docker.execs.findIndex((e) => e.argv[2].includes("exec ssh -tt"));
  const dst = h.docker.execs[session].container === "ws-01" ? "ws-02" : "ws-01";
  const blob = Uint8Array.from(atob(h.docker.publicKey.split(" ")[1]), (c) => c.charCodeAt(0));
  const sha256 = createHash("sha256").update(blob).digest("hex");
  assert.deepEqual(h.docker.copies, [{
    container: `${dst}-sensor`,
    path: "/run/netd",
    name: `trust-${sha256}`,
    afterExecs: session,
  }]);
});

Deno.test("Orchestrator.tick() tells no one when the peer's ssh is its own sshd", async () => {
  await using h = await makeHarness();
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("traffic"));
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  await h.addDecky("ws-02", ["ssh"], "192.0.2.12");
  assert.equal((await h.orchestrator.tick()).ok, true);
  assert.deepEqual(h.docker.copies, []);
});

Deno.test("Orchestrator.tick() reuses an authorised key while the pair is unchanged", async () => {
  await using h = await makeHarness({ personas: twoPersonas().slice(0, 1) });
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("traffic"));
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  await h.addDecky("ws-02", ["ssh"], "192.0.2.12");
  const sessions = () => h.docker.execs.filter((e) => e.argv[2].includes("exec ssh -tt"));
  const steps = async () => {
    const before = h.docker.execs.length;
    const r = await h.orchestrator.tick();
    assert.equal(r.ok, true, r.detail);
    return h.docker.execs.slice(before).map((e) =>
      e.argv[2].includes("exec ssh -tt")
        ? "session"
        : e.argv[2].includes("authorized_keys")
        ? "authorize"
        : "key"
    );
  };
  // Sources alternate at random: run until one pair has had two sessions.
  const seen = new Map<string, string[][]>();
  for (let i = 0; i < 20; i++) {
    const s = await steps();
    const src = sessions().at(-1)!.container;
    seen.set(src, [...seen.get(src) ?? [], s]);
  }
  assert.ok([...seen.values()].some((runs) => runs.length > 1));
  for (const runs of seen.values()) {
    assert.deepEqual(runs[0], ["key", "authorize", "session"]);
    for (const later of runs.slice(1)) assert.deepEqual(later, ["session"]);
  }
  // The pair changed on the source (status 100): the key is authorised afresh in the same tick.
  let stale = true;
  h.docker.answer = (e) => {
    if (!e.argv[2].includes("exec ssh -tt") || !stale) return undefined;
    stale = false;
    return { exitCode: 100, stdout: new Uint8Array(), stderr: new Uint8Array() };
  };
  assert.deepEqual(await steps(), ["session", "key", "authorize", "session"]);
});

Deno.test("Orchestrator.tick() falls through when the rolled kind has nothing to do", async () => {
  await using h = await makeHarness();
  await h.repos.settings.put(REALISM_SETTINGS_KEY, {
    action_weights: { traffic: 1000, file: 0, email: 1 },
  });
  await h.addDecky("mail-01", ["imap"], "192.0.2.20");
  const result = await h.orchestrator.tick();
  assert.equal(result.kind, "email", "only one ssh-less decky: traffic has nothing to do");
  assert.equal(result.ok, true);
});

Deno.test("Orchestrator.tick() reports nothing to do with no running decky", async () => {
  await using h = await makeHarness();
  const result = await h.orchestrator.tick();
  assert.equal(result.kind, null);
  assert.equal(result.detail, "nothing to do");
  assert.equal(h.docker.execs.length, 0);
});

Deno.test("Orchestrator.tick() plants files and edits them", async (t) => {
  await using h = await makeHarness({ seed: 11 });
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("file", { canary_probability: 0 }));
  const uuid = await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  await t.step("create", async () => {
    let result;
    for (let i = 0; i < 20 && result?.kind !== "file"; i++) result = await h.orchestrator.tick();
    assert.equal(result?.kind, "file");
    assert.equal(result?.action, "create");
    const exec = h.docker.execs.findLast((e) => e.argv[2].includes("owned="))!;
    assert.equal(exec.container, "ws-01-ssh");
    const [path, mode, stamp, owner] = exec.argv.slice(4);
    const history = h.docker.execs.at(-1)!;
    assert.equal(history.options.user, owner, "the user's own history");
    assert.ok(
      history.argv.slice(4).some((l) => l.includes(path.slice(`/home/${owner}/`.length))),
      history.argv.join(" "),
    );
    assert.match(path, /^\//);
    assert.ok(mode === "0644");
    assert.match(stamp, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{9}$/, "sub-second digits");
    assert.ok(owner === "ana" || owner === "juergen", owner);
    const files = await h.repos.syntheticFiles.listForDecky(uuid, { limit: 10, offset: 0 });
    assert.equal(files.total, 1);
    assert.equal(files.items[0].path, path);
    assert.equal(files.items[0].edit_count, 0);
    assert.equal(files.items[0].last_body, new TextDecoder().decode(exec.stdin!));
    const event = (await h.repos.orchestrator.listEvents({ limit: 1, offset: 0 })).items[0];
    assert.equal(event.kind, "file");
    assert.equal(event.dst_decky_uuid, uuid);
    assert.equal(JSON.parse(event.payload).path, path);
  });
  await t.step("edit bumps edit_count and extends the body", async () => {
    let edited;
    for (let i = 0; i < 200 && !edited; i++) {
      h.clock.now = new Date(h.clock.now.getTime() + 3_600_000);
      const r = await h.orchestrator.tick();
      if (r.action === "edit") edited = r;
    }
    assert.ok(edited, "an edit within 200 ticks");
    const exec = h.docker.execs.findLast((e) => e.argv[2].includes("owned="))!;
    const path = exec.argv[4];
    const rows = await h.repos.syntheticFiles.listForDecky(uuid, { limit: 500, offset: 0 });
    const row = rows.items.find((r) => r.path === path)!;
    assert.ok(row.edit_count >= 1);
    assert.equal(row.last_body, new TextDecoder().decode(exec.stdin!));
  });
});

Deno.test("Orchestrator.tick() falls back to an ordinary file when canaries are not configured", async () => {
  await using h = await makeHarness({ seed: 5 });
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("file", { canary_probability: 1 }));
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  let result;
  for (let i = 0; i < 20 && result?.kind !== "file"; i++) result = await h.orchestrator.tick();
  assert.equal(result?.kind, "file");
  const event = (await h.repos.orchestrator.listEvents({ limit: 1, offset: 0 })).items[0];
  assert.doesNotMatch(JSON.parse(event.payload).content_class, /^canary_/);
});

Deno.test("Orchestrator.tick() plants canary bait through the cultivator", async () => {
  const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00, 0xfe, 0x80]);
  let tokenSeenAtPlant = false;
  const mtime = new Date("2026-09-01T08:12:00Z");
  const cultivate: CanaryCultivator = (contentClass, ctx) =>
    Promise.resolve({
      bytes,
      path: `/home/${ctx.login}/Documents/payroll.docx`,
      mode: 0o600,
      mtime,
      token: {
        uuid: "11111111-1111-4111-8111-111111111111",
        callback_token: "AAAAAAAAAAAAAAAAAAAAAA",
        kind: "http",
        generator: "honeydoc_docx",
        blob_uuid: null,
        content_class: contentClass,
        decky_name: ctx.decky.name,
        decky_uuid: ctx.decky.uuid,
        placement_path: "/x",
        persona: null,
        http_base: "http://192.0.2.1",
        dns_zone: "",
        state: "issued",
        trigger_count: 0,
        last_triggered_at: null,
        last_error: null,
      },
    });
  await using h = await makeHarness({ seed: 5, cultivate });
  h.docker.onExec = async () => {
    tokenSeenAtPlant = (await h.repos.canary.getToken("11111111-1111-4111-8111-111111111111")) !==
      undefined;
  };
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("file", { canary_probability: 1 }));
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  let result;
  for (let i = 0; i < 20 && result?.kind !== "file"; i++) result = await h.orchestrator.tick();
  assert.equal(result?.ok, true);
  const exec = h.docker.execs.at(-1)!;
  assert.deepEqual(exec.stdin, bytes, "binary bytes stay binary");
  assert.equal(exec.argv[5], "0600", "the artifact's mode");
  assert.match(exec.argv[6], /^2026-09-01 08:12:00\.\d{9}$/, "the artifact's backdate");
  assert.ok(tokenSeenAtPlant, "token row inserted before planting");
  assert.equal(
    (await h.repos.canary.getToken("11111111-1111-4111-8111-111111111111"))?.state,
    "planted",
  );
});

Deno.test("Orchestrator.tick() plants a bait's companions in one exec as the persona, in order after the install", async () => {
  const enc = new TextEncoder();
  const installedAt = new Date("2026-11-10T07:00:00Z");
  const survey = { ...harnessSurvey(twoPersonas(), "192.0.2.11"), installedAt };
  const cultivate: CanaryCultivator = (contentClass, ctx) =>
    Promise.resolve({
      bytes: enc.encode("[core]\n"),
      path: `/home/${ctx.login}/src/app/.git/config`,
      mode: 0o644,
      mtime: new Date("2026-09-01T08:12:00Z"),
      token: {
        uuid: "22222222-2222-4222-8222-222222222222",
        callback_token: "BBBBBBBBBBBBBBBBBBBBBB",
        kind: "http",
        generator: "git_config",
        blob_uuid: null,
        content_class: contentClass,
        decky_name: ctx.decky.name,
        decky_uuid: ctx.decky.uuid,
        placement_path: "/x",
        persona: null,
        http_base: "https://cdn.corp.example",
        dns_zone: "",
        state: "issued",
        trigger_count: 0,
        last_triggered_at: null,
        last_error: null,
      },
      companions: {
        root: `/home/${ctx.login}/src/app`,
        files: [
          {
            path: ".git/HEAD",
            bytes: enc.encode("ref: refs/heads/main\n"),
            mode: 0o644,
            mtime: new Date("2026-09-01T08:12:00Z"),
          },
          {
            path: "README.md",
            bytes: enc.encode("# app\n"),
            mode: 0o644,
            mtime: new Date("2026-07-01T10:00:00Z"),
          },
        ],
      },
    });
  await using h = await makeHarness({
    seed: 5,
    cultivate,
    surveys: new SurveyCache(new FakeDocker(), { survey: () => Promise.resolve(survey) }),
  });
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("file", { canary_probability: 1 }));
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  let result;
  for (let i = 0; i < 20 && result?.kind !== "file"; i++) result = await h.orchestrator.tick();
  assert.equal(result?.ok, true, result?.detail ?? "");
  const [plant, tree] = h.docker.execs.slice(-2);
  const login = plant.argv[7];
  assert.match(plant.argv[4], /\/src\/app\/\.git\/config$/);
  assert.match(tree.argv[2], /exec tar -x -p -f - -C "\$1"/);
  assert.equal(tree.options.user, login, "written by the persona herself");
  assert.equal(tree.argv[4], `/home/${login}/src/app`);
  const archive = new TextDecoder().decode(tree.stdin!);
  assert.match(archive, /path=\.git\/HEAD\n/);
  assert.match(archive, /path=README\.md\n/);
  const stamp = (text: string) => Date.parse(`${text.replace(" ", "T")}Z`);
  const config = stamp(plant.argv[6]);
  const mtimes = new Map(
    [...archive.matchAll(/path=([^\n]+)\n\d+ mtime=(\d+)\./g)].map((
      m,
    ) => [m[1], Number(m[2]) * 1000]),
  );
  const [head, readme] = [mtimes.get(".git/HEAD")!, mtimes.get("README.md")!];
  for (const t of [config, head, readme]) {
    assert.ok(t >= installedAt.getTime() && t <= h.clock.now.getTime(), new Date(t).toISOString());
  }
  assert.ok(readme < head && Math.abs(head - config) < 1000, "the repository's order is kept");
});

Deno.test("Orchestrator.tick() records a failed action while Docker is down and recovers", async () => {
  await using h = await makeHarness();
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("traffic"));
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  await h.addDecky("ws-02", ["ssh"], "192.0.2.12");
  h.docker.down = true;
  const failed = await h.orchestrator.tick();
  assert.equal(failed.ok, false);
  assert.match(failed.detail, /DockerUnreachableError/);
  h.docker.down = false;
  const ok = await h.orchestrator.tick();
  assert.equal(ok.ok, true);
  const { items } = await h.repos.orchestrator.listEvents({ limit: 10, offset: 0 });
  assert.deepEqual(items.map((e) => e.success).sort(), [0, 1]);
  assert.equal(h.orchestrator.extras().last_result, "ok");
});

Deno.test("Orchestrator.tick() sends e-mail and replies in thread", async () => {
  await using h = await makeHarness({ seed: 3 });
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("email"));
  const mail = await h.addDecky("mail-01", ["imap", "smtp"], "192.0.2.20");
  for (let i = 0; i < 30; i++) {
    h.clock.now = new Date(h.clock.now.getTime() + 20 * 60_000);
    const r = await h.orchestrator.tick();
    assert.equal(r.kind, "email");
    assert.equal(r.ok, true);
  }
  const { items } = await h.repos.orchestrator.listEmails({ limit: 100, offset: 0 });
  assert.equal(items.length, 30);
  const replies = items.filter((m) => m.in_reply_to !== null);
  assert.ok(replies.length > 0 && replies.length < 30, `${replies.length} replies`);
  for (const reply of replies) {
    const parent = items.find((m) => m.message_id === reply.in_reply_to)!;
    assert.equal(reply.thread_id, parent.thread_id);
    assert.equal(reply.subject, `Re: ${parent.subject.replace(/^Re: /, "")}`);
    assert.equal(
      reply.references_chain,
      [parent.references_chain, parent.message_id].filter(Boolean).join(" "),
    );
    assert.equal(reply.mail_decky_uuid, mail);
    assert.notEqual(reply.sender, parent.sender, "nobody answers her own message");
    // makePersona's latency is 10m-2h: never sooner than 10 minutes.
    assert.ok(Date.parse(reply.ts) - Date.parse(parent.ts) >= 10 * 60_000);
  }
  for (const m of items) {
    assert.notEqual(m.sender, m.recipient);
    assert.match(m.path, /^\/var\/mail\/(ana|juergen)$/, "the INBOX of dovecot's mail_location");
  }
  const deliveries = h.docker.execs.filter((e) => e.argv[2].includes("dovecot-lda"));
  assert.equal(deliveries.length, 30);
  for (const d of deliveries) {
    assert.equal(d.container, "mail-01-imap");
    const eml = new TextDecoder().decode(d.stdin!);
    assert.doesNotMatch(eml, /\r/, "LF line ends, as stored");
    assert.match(eml, /^Return-Path: <\S+@corp\.example>\nDelivered-To: (ana|juergen)\nReceived: /);
    assert.equal(d.argv[5], eml.slice("Return-Path: <".length, eml.indexOf(">")));
  }
});

Deno.test("Orchestrator.tick() writes no mail where the survey shows no dovecot", async () => {
  await using h = await makeHarness({
    surveys: new SurveyCache(new FakeDocker(), {
      survey: () => Promise.resolve({ ...harnessSurvey(twoPersonas(), null), mailLocation: null }),
    }),
  });
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("email"));
  await h.addDecky("mail-01", ["imap"], "192.0.2.20");
  const r = await h.orchestrator.tick();
  assert.equal(r.kind, null);
  assert.equal(h.docker.execs.length, 0);
});

Deno.test("Orchestrator.tick() plants no file older than the decky's OS install", async () => {
  const installedAt = new Date("2026-11-18T02:00:00Z");
  const survey = { ...harnessSurvey(twoPersonas(), "192.0.2.11"), installedAt };
  await using h = await makeHarness({
    seed: 5,
    surveys: new SurveyCache(new FakeDocker(), { survey: () => Promise.resolve(survey) }),
  });
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("file", { canary_probability: 0 }));
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  for (let i = 0; i < 40; i++) await h.orchestrator.tick();
  const stamps = h.docker.execs.filter((e) => e.argv[2].includes("owned=")).map((e) =>
    Date.parse(`${e.argv[6].slice(0, 19).replace(" ", "T")}Z`)
  );
  // Backdates reach days: without the install date some would predate it.
  assert.ok(stamps.length >= 10, `${stamps.length} plants`);
  for (const t of stamps) {
    assert.ok(t >= installedAt.getTime() && t <= h.clock.now.getTime(), new Date(t).toISOString());
  }
});

Deno.test("Orchestrator.tick() writes no mail where the survey shows no running MTA", async () => {
  const survey = harnessSurvey(twoPersonas(), null);
  await using h = await makeHarness({
    surveys: new SurveyCache(new FakeDocker(), {
      survey: () =>
        Promise.resolve({
          ...survey,
          daemons: survey.daemons.map((d) => d.name === "mta" ? { ...d, pids: [] } : d),
        }),
    }),
  });
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("email"));
  await h.addDecky("mail-01", ["imap"], "192.0.2.20");
  const r = await h.orchestrator.tick();
  assert.equal(r.kind, null);
  assert.equal(h.docker.execs.length, 0);
});

Deno.test("Orchestrator.prune() keeps exactly the caps", async () => {
  await using h = await makeHarness();
  const event = (dst: string, i: number) => ({
    ts: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    kind: "file" as const,
    src_decky_uuid: null,
    src_decky_name: null,
    dst_decky_uuid: dst,
    dst_decky_name: dst,
    success: 1,
    payload: "{}",
    error: null,
  });
  for (let i = 0; i < 10_012; i++) await h.repos.orchestrator.insertEvent(event("a", i));
  for (let i = 0; i < 7; i++) await h.repos.orchestrator.insertEvent(event("b", i));
  for (let i = 0; i < 5_003; i++) {
    await h.repos.orchestrator.insertEmail({
      ts: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      mail_decky_uuid: "m",
      mail_decky_name: "m",
      thread_id: "t",
      message_id: `<${i}@x>`,
      in_reply_to: null,
      references_chain: "",
      sender: "a@x.example",
      recipient: "b@x.example",
      subject: "s",
      language: "en",
      body: "b",
      path: "/p",
      success: 1,
      error: null,
    });
  }
  const pruned = await h.orchestrator.prune();
  assert.deepEqual(pruned, { events: 12, emails: 3 });
  const stats = await h.repos.orchestrator.stats();
  const count = (kind: string) => stats.filter((s) => s.kind === kind).reduce((n, s) => n + s.n, 0);
  assert.equal(count("file"), 10_007);
  assert.equal(count("email"), 5_000);
  const oldestKept = await h.repos.orchestrator.listEvents({ limit: 1, offset: 9_999 });
  assert.equal(oldestKept.items[0].dst_decky_uuid, "a");
  assert.equal(oldestKept.items[0].ts, event("a", 12).ts);
  assert.deepEqual(await h.orchestrator.prune(), { events: 0, emails: 0 });
});

class FailingBackend implements LLMBackend {
  readonly name = "ollama";
  readonly model = "llama3.1";
  calls = 0;
  generate(): Promise<GenerateResult> {
    this.calls++;
    return Promise.resolve({ ok: false, text: "", model: this.model, ms: 1, error: "timeout" });
  }
}

Deno.test("Orchestrator.tick() opens the breaker after three LLM failures and goes on with templates", async () => {
  const llm = new FailingBackend();
  await using h = await makeHarness({
    seed: 9,
    makeLlm: () => llm,
    llmByDefault: true,
    breaker: new LLMCircuitBreaker({ now: () => 0 }),
  });
  await h.repos.settings.put(REALISM_SETTINGS_KEY, only("email"));
  await h.addDecky("mail-01", ["pop3"], "192.0.2.20");
  for (let i = 0; i < 6; i++) {
    const r = await h.orchestrator.tick();
    assert.equal(r.ok, true);
    assert.match(r.detail, /\(template\)$/);
  }
  assert.equal(llm.calls, 3);
  assert.equal(h.orchestrator.extras().breaker_state, "open");
  assert.equal(h.orchestrator.extras().llm_enabled, true);
  assert.ok(h.docker.execs.every((e) => e.container === "mail-01-pop3"));
});

Deno.test("Orchestrator.llmEnabled follows --llm/--no-llm, then the settings, then the config", async (t) => {
  await t.step("--no-llm wins", async () => {
    await using h = await makeHarness({
      llmByDefault: true,
      llmOverride: false,
      makeLlm: () => new FakeBackend("x"),
    });
    await h.repos.settings.put(REALISM_SETTINGS_KEY, { llm: { enabled: true } });
    await h.orchestrator.reloadSettings();
    assert.equal(h.orchestrator.llmEnabled, false);
    assert.equal(h.orchestrator.extras().llm_backend, null);
  });
  await t.step("settings switch it on and pick the model", async () => {
    const models: (string | null)[] = [];
    await using h = await makeHarness({
      llmByDefault: false,
      makeLlm: (model) => {
        models.push(model);
        return new FakeBackend("x");
      },
    });
    assert.equal(h.orchestrator.llmEnabled, false);
    await h.repos.settings.put(REALISM_SETTINGS_KEY, { llm: { enabled: true, model: "qwen2.5" } });
    await h.orchestrator.reloadSettings();
    assert.equal(h.orchestrator.llmEnabled, true);
    assert.equal(h.orchestrator.extras().llm_backend, "fake");
    assert.deepEqual(models, ["qwen2.5"]);
  });
  await t.step("invalid stored settings keep the previous ones", async () => {
    await using h = await makeHarness();
    await h.repos.settings.put(REALISM_SETTINGS_KEY, { canary_probability: 0.5 });
    await h.orchestrator.reloadSettings();
    await h.repos.settings.put(REALISM_SETTINGS_KEY, { canary_probability: 7 });
    await h.orchestrator.reloadSettings();
    assert.equal(h.orchestrator.settings.canary_probability, 0.5);
    assert.ok(h.logs.some((l) => l.includes("invalid")));
  });
});
