import assert from "node:assert/strict";
import {
  FakeBackend,
  LLMCircuitBreaker,
  loginFor,
  makeBody,
  makeBodyWithLlm,
  makeEmailBody,
  makePath,
  mulberry32,
  nextIteration,
  stripEmDashes,
} from "../../realism/mod.ts";
import type { GenerateResult, LLMBackend } from "../../realism/mod.ts";
import { CACHE_INDEXES } from "../../realism/make_body.ts";
import { makePersona } from "./_fixtures.ts";

const NOW = new Date("2026-03-04T15:20:00Z");
const decky = { name: "ws-07", hostname: "fin-ws07" };

Deno.test("loginFor() reduces the persona to ASCII letters and digits", () => {
  assert.equal(loginFor({ email: "ana.lopez@example.com", name: "x" }), "analopez");
  assert.equal(loginFor({ email: "---@example.com", name: "Zoë Ødegård" }), "zoedegard");
  assert.equal(loginFor({ email: "__@example.com", name: "李" }), "user");
});

Deno.test("makePath() puts files where each class lives", async (t) => {
  const persona = makePersona();
  const rand = mulberry32(1);
  await t.step("user files under the persona's home", () => {
    for (let i = 0; i < 50; i++) {
      assert.match(makePath("note", { persona, rand }), /^\/home\/analopez\//);
    }
  });
  await t.step("logs under /var/log", () => {
    assert.match(makePath("log_cron", { persona, rand }), /^\/var\/log\/cron\.log/);
  });
  await t.step("caches in mkstemp shape", () => {
    for (let i = 0; i < 200; i++) {
      const p = makePath("cache_tmp", { persona, rand });
      assert.match(p, /^\/tmp\/(\.cache-[A-Za-z0-9]{6}|tmp\.[A-Za-z0-9]{10})$/);
      assert.doesNotMatch(p, /\d{8,}/);
    }
  });
});

Deno.test("makeBody() writes class-shaped bodies", async (t) => {
  const persona = makePersona();
  const rand = mulberry32(2);
  const opts = { persona, decky, rand, now: NOW };
  await t.step("todo has checkboxes", () => {
    assert.match(makeBody("todo", opts), /^- \[[ x]\] /m);
  });
  await t.step("script starts with a shebang matching its extension", () => {
    assert.match(makeBody("script", { ...opts, path: "/home/a/fix.py" }), /^#!.*python3\n/);
    assert.match(makeBody("script", { ...opts, path: "/home/a/backup.sh" }), /^#!\/(bin|usr)/);
  });
  await t.step("cron lines are syslog-shaped, carry the hostname and end by the mtime", () => {
    const body = makeBody("log_cron", opts);
    const lines = body.trimEnd().split("\n");
    for (const l of lines) {
      assert.match(l, /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d fin-ws07 CRON\[\d+\]: /);
    }
    const last = lines.at(-1)!.slice(0, 15);
    assert.ok(last <= "Mar  4 15:20:00", last);
  });
  await t.step("auth.log gets auth lines", () => {
    const body = makeBody("log_daemon", { ...opts, path: "/var/log/auth.log" });
    assert.match(body, /(sshd|sudo|systemd-logind|CRON)/);
  });
  await t.step("email and canary classes have no template", () => {
    assert.throws(() => makeBody("email", opts), TypeError);
    assert.throws(() => makeBody("canary_ssh_key", opts), TypeError);
  });
  await t.step("a cache index lists only its own tool's packages", () => {
    let seen = 0;
    for (let i = 0; i < 300; i++) {
      const body = makeBody("cache_tmp", opts);
      const m = /^# (\w+) cache index\n/.exec(body);
      if (!m) continue;
      seen++;
      const names = CACHE_INDEXES.find(([tool]) => tool === m[1])![1];
      for (const line of body.slice(m[0].length).trim().split("\n")) {
        assert.ok(names.includes(line.split(" ")[0]), `${m[1]} lists ${line}`);
      }
    }
    assert.ok(seen > 10, `only ${seen} cache indexes in 300 bodies`);
  });
  await t.step("no body names the product", () => {
    for (
      const c of ["note", "todo", "draft", "script", "log_cron", "log_daemon", "cache_tmp"] as const
    ) {
      for (let i = 0; i < 50; i++) assert.doesNotMatch(makeBody(c, opts), /decnet/i);
    }
  });
});

Deno.test("nextIteration() grows files the way people and daemons do", async (t) => {
  const persona = makePersona();
  const rand = mulberry32(3);
  const later = new Date(NOW.getTime() + 2 * 3_600_000);
  await t.step("todo ticks a box or adds an item", () => {
    const previous = "# TODO\n\n- [ ] one\n- [ ] two\n";
    for (let i = 0; i < 30; i++) {
      const next = nextIteration("todo", { persona, decky, rand, now: later, previous });
      assert.notEqual(next, previous);
      const ticked = (next.match(/\[x\]/g) ?? []).length;
      assert.ok(ticked > 0 || next.split("\n").length > previous.split("\n").length);
    }
  });
  await t.step("notes, drafts and scripts append", () => {
    for (const c of ["note", "draft", "script"] as const) {
      const previous = makeBody(c, { persona, decky, rand, now: NOW });
      const next = nextIteration(c, { persona, decky, rand, now: later, previous });
      assert.ok(next.startsWith(previous) && next.length > previous.length, c);
    }
  });
  await t.step("logs append lines with later timestamps", () => {
    const previous = makeBody("log_cron", { persona, decky, rand, now: NOW });
    const next = nextIteration("log_cron", { persona, decky, rand, now: later, previous });
    assert.ok(next.startsWith(previous));
    const added = next.slice(previous.length).trimEnd().split("\n");
    assert.ok(added.length >= 1);
    const lastOld = previous.trimEnd().split("\n").at(-1)!.slice(0, 15);
    for (const l of added) assert.ok(l.slice(0, 15) >= lastOld, `${l} vs ${lastOld}`);
  });
  await t.step("other classes raise", () => {
    assert.throws(
      () => nextIteration("cache_tmp", { persona, decky, rand, now: later, previous: "x" }),
      /Cannot edit body/,
    );
  });
});

class ScriptedBackend implements LLMBackend {
  readonly name = "scripted";
  readonly model = "scripted";
  calls = 0;
  constructor(readonly results: Partial<GenerateResult>[]) {}
  generate(): Promise<GenerateResult> {
    const r = this.results[Math.min(this.calls++, this.results.length - 1)];
    return Promise.resolve({ ok: true, text: "", model: "scripted", ms: 1, ...r });
  }
}

Deno.test("makeBodyWithLlm() uses the LLM and strips em-dashes", async () => {
  const persona = makePersona();
  const r = await makeBodyWithLlm("note", {
    persona,
    decky,
    rand: mulberry32(4),
    now: NOW,
    llm: new FakeBackend("```\nBackups \u2014 all of them \u2014 ran fine\n```"),
  });
  assert.equal(r.source, "llm");
  assert.equal(r.body, "Backups, all of them, ran fine\n");
});

Deno.test("makeBodyWithLlm() keeps em-dashes for personas who opt in", async () => {
  const r = await makeBodyWithLlm("note", {
    persona: makePersona({ uses_llms_heavily: true }),
    decky,
    rand: mulberry32(4),
    now: NOW,
    llm: new FakeBackend("A \u2014 B"),
  });
  assert.equal(r.body, "A \u2014 B\n");
});

Deno.test("makeBodyWithLlm() falls back to the template", async (t) => {
  const base = { persona: makePersona(), decky, rand: mulberry32(5), now: NOW };
  await t.step("when no LLM is configured", async () => {
    const r = await makeBodyWithLlm("todo", { ...base, llm: null });
    assert.equal(r.source, "template");
    assert.equal(r.error, undefined);
  });
  await t.step("on error and on empty output, opening the breaker", async () => {
    let clock = 0;
    const breaker = new LLMCircuitBreaker({ now: () => clock });
    const llm = new ScriptedBackend([{ ok: false, error: "HTTP 500" }, { text: "   " }]);
    for (let i = 0; i < 3; i++) {
      const r = await makeBodyWithLlm("note", { ...base, llm, breaker });
      assert.equal(r.source, "template");
    }
    assert.equal(breaker.state, "open");
    const r = await makeBodyWithLlm("note", { ...base, llm, breaker });
    assert.equal(r.error, "circuit breaker open");
    assert.equal(llm.calls, 3);
    clock = 60_000;
    assert.equal(breaker.state, "half_open");
  });
  await t.step("for a script without a shebang", async () => {
    const r = await makeBodyWithLlm("script", { ...base, llm: new FakeBackend("echo hi") });
    assert.equal(r.source, "template");
    assert.match(r.body, /^#!/);
  });
  await t.step("never for system classes", async () => {
    await assert.rejects(() => makeBodyWithLlm("log_cron", { ...base, llm: null }), TypeError);
  });
});

Deno.test("stripEmDashes() leaves text without em-dashes alone", () => {
  assert.equal(stripEmDashes("a - b, c-d"), "a - b, c-d");
  assert.equal(stripEmDashes("end \u2014"), "end");
});

Deno.test("makeEmailBody() greets in the sender's language and signs", () => {
  const rand = mulberry32(6);
  const sender = makePersona({ language: "de", signature: "Ana\nSRE" });
  const mail = makeEmailBody(sender, { recipient: { name: "Tom Reed" }, rand });
  assert.match(mail.body, /^(Hallo|Hi|Liebe\/r|Guten Morgen) Tom,/);
  assert.ok(mail.body.endsWith("Ana\nSRE\n"));
  const reply = makeEmailBody(makePersona(), {
    recipient: { name: "Tom" },
    rand,
    replyTo: "Budget",
  });
  assert.equal(reply.subject, "Re: Budget");
});
