import assert from "node:assert/strict";
import { MailSpool } from "../../../../core/sensor/mail/mail_spool.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const now = () => NOW;

function mbox(...subjects: string[]): string {
  return subjects.map((s, i) =>
    `From x@corp.example  Tue Dec  1 0${i}:00:00 2026\nStatus: ${i === 0 ? "RO" : "O"}\nX-UID: ${
      i + 1
    }\nSubject: ${s}\n\nbody ${i}\n\n`
  ).join("");
}

async function withSpool(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "spool-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("MailSpool.mailbox() reads a user's mbox, hiding the store's headers and keeping its flags", () =>
  withSpool(async (dir) => {
    await Deno.writeTextFile(`${dir}/ana`, mbox("one", "two"));
    const inbox = await new MailSpool({ dir, decky: "d", now }).mailbox("ana");
    assert.deepEqual(inbox.entries.map((e) => e.message.raw), [
      "Subject: one\r\n\r\nbody 0\r\n",
      "Subject: two\r\n\r\nbody 1\r\n",
    ]);
    assert.deepEqual(inbox.entries.map((e) => e.message.internalDate.toISOString()), [
      "2026-12-01T00:00:00.000Z",
      "2026-12-01T01:00:00.000Z",
    ]);
    assert.deepEqual([...inbox.flags(1)], ["\\Seen"]);
    assert.deepEqual([...inbox.flags(2)], []);
  }));

Deno.test("MailSpool.mailbox() reads again when the mbox's mtime changes, keeping flags by UID", () =>
  withSpool(async (dir) => {
    await Deno.writeTextFile(`${dir}/ana`, mbox("one"));
    await Deno.utime(`${dir}/ana`, 1_000, 1_000);
    const spool = new MailSpool({ dir, decky: "d", now });
    const first = await spool.mailbox("ana");
    first.addFlag(1, "\\Flagged");
    await Deno.writeTextFile(`${dir}/ana`, mbox("one", "two"));
    await Deno.utime(`${dir}/ana`, 1_000, 1_000);
    assert.equal((await spool.mailbox("ana")).entries.length, 1, "same mtime: the cache answers");
    await Deno.utime(`${dir}/ana`, 2_000, 2_000);
    const second = await spool.mailbox("ana");
    assert.equal(second, first);
    assert.deepEqual(second.entries.map((e) => e.uid), [1, 2]);
    assert.ok(second.flags(1).has("\\Flagged"));
  }));

Deno.test("MailSpool.mailbox() reads a Maildir in arrival order with flags from the file names", () =>
  withSpool(async (dir) => {
    await Deno.mkdir(`${dir}/bo/cur`, { recursive: true });
    await Deno.mkdir(`${dir}/bo/new`, { recursive: true });
    await Deno.writeTextFile(`${dir}/bo/new/1700000200.M2P1.ws`, "Subject: later\n\nb\n");
    await Deno.writeTextFile(`${dir}/bo/cur/1700000100.M1P1.ws:2,RS`, "Subject: first\n\na\n");
    await Deno.utime(`${dir}/bo/cur/1700000100.M1P1.ws:2,RS`, 1_700_000_100, 1_700_000_100);
    await Deno.utime(`${dir}/bo/new/1700000200.M2P1.ws`, 1_700_000_200, 1_700_000_200);
    const inbox = await new MailSpool({ dir, decky: "d", now }).mailbox("bo");
    assert.deepEqual(inbox.entries.map((e) => e.message.raw), [
      "Subject: first\r\n\r\na\r\n",
      "Subject: later\r\n\r\nb\r\n",
    ]);
    assert.deepEqual([...inbox.flags(1)], ["\\Answered", "\\Seen"]);
  }));

Deno.test("MailSpool.mailbox() shows the owner's mailbox to a login without one, never a path outside the spool", () =>
  withSpool(async (dir) => {
    await Deno.writeTextFile(`${dir}/ana`, mbox("owner's"));
    await Deno.writeTextFile(`${dir}/../secret-${dir.split("/").pop()}`, mbox("secret")).catch(
      () => {},
    );
    const spool = new MailSpool({ dir, owner: "ana", decky: "d", now });
    for (const login of ["nobody", "../ana", `../secret-${dir.split("/").pop()}`, ""]) {
      const inbox = await spool.mailbox(login);
      assert.equal(inbox.entries[0].message.raw, "Subject: owner's\r\n\r\nbody 0\r\n", login);
    }
    await Deno.remove(`${dir}/../secret-${dir.split("/").pop()}`).catch(() => {});
  }));

Deno.test("MailSpool.mailbox() generates the same corporate INBOX for a decky when the spool is empty", () =>
  withSpool(async (dir) => {
    const a = await new MailSpool({
      dir,
      owner: "ana",
      decky: "ws-01",
      hostname: "ws-01.corp.example",
      now,
    })
      .mailbox("ana");
    const b = await new MailSpool({
      dir,
      owner: "ana",
      decky: "ws-01",
      hostname: "ws-01.corp.example",
      now,
    })
      .mailbox("ana");
    const other = await new MailSpool({ dir, owner: "ana", decky: "db-02", now }).mailbox("ana");
    assert.equal(a.entries.length, 4);
    assert.deepEqual(a.entries.map((e) => e.message.raw), b.entries.map((e) => e.message.raw));
    assert.notDeepEqual(
      a.entries.map((e) => e.message.raw),
      other.entries.map((e) => e.message.raw),
    );
    for (const { message } of a.entries) {
      assert.ok(message.internalDate < NOW);
      assert.ok(message.internalDate.getTime() > NOW.getTime() - 12 * 86_400_000);
      assert.match(message.raw, /\r\nTo: ana@corp\.example\r\n/);
    }
  }));
