import assert from "node:assert/strict";
import {
  deliveryHeaders,
  historyForFile,
  homeTarget,
  inboxPath,
  planCronJob,
  planSshSession,
  replyDueAt,
} from "../../../core/orchestrator/mod.ts";
import { parseSurvey } from "../../../core/survey/mod.ts";
import type { DeckySurvey } from "../../../core/survey/mod.ts";
import { mulberry32 } from "../../../realism/mod.ts";
import { makePersona } from "../../realism/_fixtures.ts";

const fixture = (name: string): DeckySurvey =>
  parseSurvey(
    Deno.readTextFileSync(new URL(`../../testdata/survey/${name}.txt`, import.meta.url)),
    "FIXTUREMARKER0001",
  );
// The fixture decky is 192.168.50.11 on 192.168.50.0/24; a second one beside it.
const debian = fixture("debian_bookworm");
const peer: DeckySurvey = { ...debian, addresses: ["192.168.50.12"] };
const priya = makePersona({
  name: "Priya Nair",
  email: "priya.nair@corp.example",
  active_hours: "00:00-23:59",
});
const now = new Date("2026-12-01T10:00:00Z");

Deno.test("planSshSession() plans a session as a persona with a login on both ends", () => {
  const plan = planSshSession(debian, [{ ip: "192.168.50.12", survey: peer }], {
    personas: [priya],
    now,
    random: mulberry32(1),
  });
  assert.ok("login" in plan, JSON.stringify(plan));
  assert.equal(plan.login, "priyanair");
  assert.equal(plan.dstIp, "192.168.50.12");
  assert.ok(plan.commands.length >= 1);
});

Deno.test("planSshSession() plans nothing the surveys do not back", async (t) => {
  const plan = (
    src: DeckySurvey,
    peers: { ip: string; survey: DeckySurvey }[],
    personas = [priya],
  ) => planSshSession(src, peers, { personas, now, random: mulberry32(1) });
  const to = [{ ip: "192.168.50.12", survey: peer }];
  await t.step("no ssh client on the source", () => {
    const { "openssh-client": _, ...packages } = debian.packages;
    assert.deepEqual(plan({ ...debian, packages }, to), { skip: "no ssh client" });
  });
  await t.step("no sshd running on the peer", () => {
    const daemons = peer.daemons.map((d) => d.name === "sshd" ? { ...d, pids: [] } : d);
    assert.deepEqual(plan(debian, [{ ip: "192.168.50.12", survey: { ...peer, daemons } }]), {
      skip: "no LAN peer runs sshd",
    });
  });
  await t.step("a peer off the source's networks, or the source itself", () => {
    assert.deepEqual(plan(debian, [{ ip: "198.51.100.7", survey: peer }]), {
      skip: "no LAN peer runs sshd",
    });
    assert.deepEqual(plan(debian, [{ ip: "192.168.50.11", survey: debian }]), {
      skip: "no LAN peer runs sshd",
    });
  });
  await t.step("no login for the persona on the peer, or nobody at work", () => {
    const users = peer.users.filter((u) => u.login !== "priyanair");
    assert.deepEqual(plan(debian, [{ ip: "192.168.50.12", survey: { ...peer, users } }]), {
      skip: "no persona at work has a login on a peer",
    });
    assert.deepEqual(plan(debian, to, [{ ...priya, active_hours: "01:00-02:00" }]), {
      skip: "no persona at work has a login on a peer",
    });
  });
});

Deno.test("replyDueAt() keeps the replier's latency and never answers her own message", () => {
  const parent = { ts: "2026-12-01T10:00:00.000Z", message_id: "<a@x>", sender: "tom@x" };
  assert.equal(replyDueAt(parent, { email: "TOM@x", reply_latency: "10m-2h" }), null);
  for (const id of ["<a@x>", "<b@x>", "<c@x>", "<d@x>"]) {
    const due = replyDueAt({ ...parent, message_id: id }, {
      email: "ana@x",
      reply_latency: "10m-2h",
    })!;
    const after = due.getTime() - Date.parse(parent.ts);
    assert.ok(after >= 600_000 && after <= 7_200_000, `${id}: ${after}`);
    assert.deepEqual(
      replyDueAt({ ...parent, message_id: id }, { email: "ana@x", reply_latency: "10m-2h" }),
      due,
      "stable",
    );
  }
});

Deno.test("inboxPath() reads dovecot's mail_location", () => {
  const ana = { login: "ana", home: "/home/ana" };
  assert.equal(inboxPath("mbox:~/mail:INBOX=/var/mail/%u", ana), "/var/mail/ana");
  assert.equal(inboxPath("maildir:~/Maildir", ana), "/home/ana/Maildir");
  assert.equal(inboxPath("mdbox:/srv/mail/%n", ana), "/srv/mail/ana");
  assert.equal(inboxPath("maildir:Maildir", ana), null);
});

Deno.test("deliveryHeaders() adds Return-Path and Received as dovecot delivers, LF ends", () => {
  const head = deliveryHeaders({
    sender: "tom@corp.example",
    login: "ana",
    hostname: "ws-01",
    date: new Date("2026-12-01T10:00:00Z"),
    timeZone: "UTC",
    random: mulberry32(3),
  });
  assert.match(
    head,
    /^Return-Path: <tom@corp\.example>\nDelivered-To: ana\nReceived: from ws-01\n\tby ws-01 with LMTP\n\tid [A-Za-z0-9+/]{22}\n\t\(envelope-from <tom@corp\.example>\)\n\tfor <ana>; Tue, 01 Dec 2026 10:00:00 \+0000\n$/,
  );
});

Deno.test("homeTarget() puts home files in the login's real home, only where it exists", () => {
  const elsewhere: DeckySurvey = {
    ...debian,
    users: debian.users.map((u) => u.login === "priyanair" ? { ...u, home: "/srv/home/priya" } : u),
  };
  assert.deepEqual(homeTarget("/home/priyanair/notes.txt", "priyanair", elsewhere), {
    path: "/srv/home/priya/notes.txt",
    user: elsewhere.users.find((u) => u.login === "priyanair"),
    relPath: "notes.txt",
  });
  const edit = homeTarget("/srv/home/priya/notes.txt", "priyanair", elsewhere);
  assert.ok("relPath" in edit && edit.relPath === "notes.txt", "an edit of a placed file");
  assert.deepEqual(homeTarget("/home/ghost/notes.txt", "ghost", debian), {
    skip: "no home for ghost",
  });
  assert.deepEqual(homeTarget("/home/priyanair/a", "priyanair", null), {
    skip: "decky not surveyed",
  });
  assert.deepEqual(homeTarget("/var/tmp/x", "ghost", null), {
    path: "/var/tmp/x",
    user: null,
    relPath: null,
  });
});

Deno.test("historyForFile() names the file and only tools the decky has", () => {
  for (let seed = 0; seed < 20; seed++) {
    const lines = historyForFile({
      relPath: "scripts/cleanup.sh",
      action: "create",
      survey: debian,
      random: mulberry32(seed),
    });
    assert.ok(lines.includes("cat > scripts/cleanup.sh"), "no editor in the fixture");
    assert.ok(lines.includes("chmod +x scripts/cleanup.sh"));
    assert.ok(lines.every((l) => /^(ls|mkdir|cat|chmod)\b/.test(l)), lines.join("; "));
  }
  const withVim = { ...debian, packages: { ...debian.packages, "vim-tiny": "2:9.0" } };
  const edit = historyForFile({
    relPath: "My Notes.txt",
    action: "edit",
    survey: withVim,
    random: mulberry32(2),
  });
  assert.ok(edit.includes("vi 'My Notes.txt'"), edit.join("; "));
});

Deno.test("planCronJob() schedules a script in the user's real home", () => {
  const seen = new Set<string>();
  for (let seed = 0; seed < 30; seed++) {
    const job = planCronJob("/srv/home/priya/", mulberry32(seed));
    seen.add(job.relPath);
    assert.match(job.relPath, /^bin\/[\w-]+\.sh$/);
    assert.match(job.script, /^#!\/bin\/sh\n/);
    const fields = job.line.split(" ");
    assert.equal(fields.length >= 6, true, job.line);
    assert.equal(fields[5], `/srv/home/priya/${job.relPath}`);
    assert.doesNotMatch(job.script, /\/home\/|decnet/i, "only $HOME, no product name");
  }
  assert.equal(seen.size, 3);
});
