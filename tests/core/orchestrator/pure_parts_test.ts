import assert from "node:assert/strict";
import {
  buildEmailMessage,
  formatEmailDate,
  makeMessageId,
  personasForDecky,
  replySubject,
  rollActionOrder,
  threadLinks,
  tickDuties,
} from "../../../core/orchestrator/mod.ts";
import { DEFAULT_ACTION_WEIGHTS, mulberry32 } from "../../../realism/mod.ts";
import { makePersona } from "../../realism/_fixtures.ts";

const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};

Deno.test("rollActionOrder() rolls by weight and lists every kind once", async (t) => {
  await t.step("low roll picks traffic first", () => {
    assert.deepEqual(rollActionOrder(DEFAULT_ACTION_WEIGHTS, seq(0.1, 0.1)), [
      "traffic",
      "file",
      "email",
    ]);
  });
  await t.step("high roll picks email first", () => {
    assert.equal(rollActionOrder(DEFAULT_ACTION_WEIGHTS, seq(0.95, 0.2))[0], "email");
  });
  await t.step("zero-weight kinds are never tried", () => {
    assert.deepEqual(rollActionOrder({ traffic: 0, file: 1, email: 0 }, seq(0.99)), ["file"]);
    assert.deepEqual(rollActionOrder({ traffic: 0, file: 0, email: 0 }, seq(0.5)), []);
  });
  await t.step("frequencies follow the weights", () => {
    const rand = mulberry32(3);
    const counts = { traffic: 0, file: 0, email: 0 };
    for (let i = 0; i < 20_000; i++) counts[rollActionOrder(DEFAULT_ACTION_WEIGHTS, rand)[0]]++;
    assert.ok(Math.abs(counts.traffic / 20_000 - 0.45) < 0.02, JSON.stringify(counts));
    assert.ok(Math.abs(counts.email / 20_000 - 0.1) < 0.02, JSON.stringify(counts));
  });
});

Deno.test("tickDuties() reloads settings every 5 ticks and prunes every 100", () => {
  assert.deepEqual(tickDuties(1), { reloadSettings: true, prune: false });
  assert.deepEqual(tickDuties(2), { reloadSettings: false, prune: false });
  assert.deepEqual(tickDuties(5), { reloadSettings: true, prune: false });
  assert.deepEqual(tickDuties(100), { reloadSettings: true, prune: true });
  assert.equal(tickDuties(199).prune, false);
  assert.equal(tickDuties(200).prune, true);
});

Deno.test("formatEmailDate() writes RFC 5322 dates in the sender's zone", async (t) => {
  const at = new Date("2026-11-18T14:00:05.900Z");
  await t.step("Berlin in winter", () => {
    assert.equal(formatEmailDate(at, "Europe/Berlin"), "Wed, 18 Nov 2026 15:00:05 +0100");
  });
  await t.step("New York crosses midnight backwards", () => {
    assert.equal(
      formatEmailDate(new Date("2026-07-01T02:30:00Z"), "America/New_York"),
      "Tue, 30 Jun 2026 22:30:00 -0400",
    );
  });
  await t.step("half-hour zone", () => {
    assert.equal(formatEmailDate(at, "Asia/Kolkata"), "Wed, 18 Nov 2026 19:30:05 +0530");
  });
  await t.step(
    "UTC",
    () => assert.equal(formatEmailDate(at, "UTC"), "Wed, 18 Nov 2026 14:00:05 +0000"),
  );
});

Deno.test("replySubject() folds every reply prefix into one Re:", () => {
  assert.equal(replySubject("Budget"), "Re: Budget");
  assert.equal(replySubject("Re: Budget"), "Re: Budget");
  assert.equal(replySubject("RE: AW: re[2]: Budget Q3"), "Re: Budget Q3");
  assert.equal(replySubject("Fwd: Re: x"), "Re: x");
  assert.equal(replySubject("Re: "), "Re: (no subject)");
});

Deno.test("threadLinks() chains References with the parent last", async (t) => {
  await t.step("reply to a first message", () => {
    assert.deepEqual(threadLinks({ message_id: "<a@x>", references_chain: "" }), {
      inReplyTo: "<a@x>",
      references: ["<a@x>"],
    });
  });
  await t.step("reply deeper in the thread", () => {
    assert.deepEqual(threadLinks({ message_id: "<c@x>", references_chain: "<a@x> <b@x>" }), {
      inReplyTo: "<c@x>",
      references: ["<a@x>", "<b@x>", "<c@x>"],
    });
  });
});

Deno.test("makeMessageId() is at the sender's domain and differs per call", () => {
  const rand = mulberry32(1);
  const now = new Date("2026-11-18T14:00:00Z");
  const a = makeMessageId("example.com", { now, random: rand });
  const b = makeMessageId("example.com", { now, random: rand });
  assert.match(a, /^<[0-9a-z]+\.[0-9a-f]{10}@example\.com>$/);
  assert.notEqual(a, b);
});

function headersOf(eml: string): Map<string, string[]> {
  const [head] = eml.split("\r\n\r\n");
  const unfolded = head.replace(/\r\n[ \t]/g, " ");
  const map = new Map<string, string[]>();
  for (const line of unfolded.split("\r\n")) {
    const i = line.indexOf(":");
    const name = line.slice(0, i).toLowerCase();
    map.set(name, [...(map.get(name) ?? []), line.slice(i + 1).trim()]);
  }
  return map;
}

Deno.test("buildEmailMessage() writes a proper RFC 5322 message", async (t) => {
  const base = {
    from: { name: "Ana Lopez", email: "ana@example.com" },
    to: { name: "Bo, Jr.", email: "bo@example.com" },
    subject: "Budget",
    body: "Hi Bo,\n\nsee you.\n\nAna\n",
    date: new Date("2026-11-18T14:00:00Z"),
    timeZone: "Europe/Berlin",
    messageId: "<1.a@example.com>",
  };
  await t.step("ASCII body is 7bit with CRLF and one MIME-Version", () => {
    const eml = buildEmailMessage(base);
    const h = headersOf(eml);
    assert.deepEqual(h.get("mime-version"), ["1.0"]);
    assert.deepEqual(h.get("date"), ["Wed, 18 Nov 2026 15:00:00 +0100"]);
    assert.deepEqual(h.get("from"), ["Ana Lopez <ana@example.com>"]);
    assert.deepEqual(h.get("to"), ['"Bo, Jr." <bo@example.com>']);
    assert.deepEqual(h.get("message-id"), ["<1.a@example.com>"]);
    assert.deepEqual(h.get("content-type"), ["text/plain; charset=UTF-8"]);
    assert.deepEqual(h.get("content-transfer-encoding"), ["7bit"]);
    assert.equal(h.has("in-reply-to"), false);
    assert.ok(eml.endsWith("\r\n\r\nHi Bo,\r\n\r\nsee you.\r\n\r\nAna\r\n"));
    assert.ok(!/[^\r]\n/.test(eml), "every line break is CRLF");
  });
  await t.step("accented body is quoted-printable and decodes back", () => {
    const body = "Hallo Jürgen,\n\ndie Zahlen schicke ich dir morgen. Viele Grüße\n";
    const eml = buildEmailMessage({ ...base, subject: "Größe", body });
    const h = headersOf(eml);
    assert.deepEqual(h.get("content-transfer-encoding"), ["quoted-printable"]);
    assert.match(h.get("subject")![0], /^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    const encoded = eml.split("\r\n\r\n").slice(1).join("\r\n\r\n");
    const bytes: number[] = [];
    const soft = encoded.replace(/=\r\n/g, "");
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === "=") {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(soft.charCodeAt(i));
    }
    assert.equal(new TextDecoder().decode(new Uint8Array(bytes)).replace(/\r\n/g, "\n"), body);
    for (const line of encoded.split("\r\n")) assert.ok(line.length <= 76, line);
  });
  await t.step("mostly non-ASCII body is base64", () => {
    const eml = buildEmailMessage({ ...base, body: "こんにちは、明日の会議について。\n" });
    assert.deepEqual(headersOf(eml).get("content-transfer-encoding"), ["base64"]);
  });
  await t.step("thread links and folded References", () => {
    const refs = Array.from({ length: 6 }, (_, i) => `<mhw1ab2c${i}.4f9e0a1b3c@example.com>`);
    const eml = buildEmailMessage({ ...base, inReplyTo: refs[5], references: refs });
    const h = headersOf(eml);
    assert.deepEqual(h.get("in-reply-to"), [refs[5]]);
    assert.deepEqual(h.get("references"), [refs.join(" ")]);
    for (const line of eml.split("\r\n\r\n")[0].split("\r\n")) assert.ok(line.length <= 78, line);
  });
});

Deno.test("personasForDecky() gives a stable subset of 1-3 personas", () => {
  const pool = Array.from(
    { length: 8 },
    (_, i) => makePersona({ name: `P${i}`, email: `p${i}@example.com` }),
  );
  const sizes = new Set<number>();
  for (let i = 0; i < 50; i++) {
    const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const a = personasForDecky(uuid, pool);
    assert.deepEqual(personasForDecky(uuid, pool), a);
    assert.ok(a.length >= 1 && a.length <= 3);
    assert.equal(new Set(a.map((p) => p.name)).size, a.length);
    sizes.add(a.length);
  }
  assert.equal(sizes.size, 3);
  assert.deepEqual(personasForDecky("x", []), []);
  assert.equal(personasForDecky("x", pool.slice(0, 1)).length, 1);
});
