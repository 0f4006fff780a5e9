import assert from "node:assert/strict";
import { inWorkHours, mulberry32, resolveTimeZone, sampleMtime } from "../../realism/mod.ts";

const at = (iso: string): Date => new Date(iso);

Deno.test("inWorkHours() reads plain and wrap-around windows", async (t) => {
  await t.step("inside a day window", () => {
    assert.equal(inWorkHours("09:00-17:00", at("2026-03-02T09:00:00Z")), true);
    assert.equal(inWorkHours("09:00-17:00", at("2026-03-02T16:59:00Z")), true);
  });
  await t.step("outside a day window (end is exclusive)", () => {
    assert.equal(inWorkHours("09:00-17:00", at("2026-03-02T17:00:00Z")), false);
    assert.equal(inWorkHours("09:00-17:00", at("2026-03-02T08:59:00Z")), false);
  });
  await t.step("wrap-around night window", () => {
    assert.equal(inWorkHours("22:00-06:00", at("2026-03-02T23:30:00Z")), true);
    assert.equal(inWorkHours("22:00-06:00", at("2026-03-02T05:59:00Z")), true);
    assert.equal(inWorkHours("22:00-06:00", at("2026-03-02T12:00:00Z")), false);
  });
});

Deno.test("inWorkHours() fails open when the window is malformed or empty", () => {
  for (const w of ["", "9-5", "25:00-26:00", "09:00-09:00", "nonsense"]) {
    assert.equal(inWorkHours(w, at("2026-03-02T03:00:00Z")), true, w);
  }
});

Deno.test("inWorkHours() reads the window in the given time zone", () => {
  const now = at("2026-07-01T07:30:00Z"); // 09:30 in Berlin (CEST), 03:30 in New York
  assert.equal(inWorkHours("09:00-17:00", now, { timeZone: "Europe/Berlin" }), true);
  assert.equal(inWorkHours("09:00-17:00", now, { timeZone: "America/New_York" }), false);
});

Deno.test("resolveTimeZone() prefers the persona, then the decky, then UTC", () => {
  assert.equal(
    resolveTimeZone({ timezone: "Asia/Tokyo" }, { timezone: "Europe/Paris" }),
    "Asia/Tokyo",
  );
  assert.equal(resolveTimeZone({}, { timezone: "Europe/Paris" }), "Europe/Paris");
  assert.equal(resolveTimeZone({ timezone: "Mars/Base" }, null), "UTC");
});

Deno.test("sampleMtime() returns past times inside the window", async (t) => {
  const rand = mulberry32(11);
  const cases: [string, string, string][] = [
    ["09:00-17:00", "UTC", "2026-03-04T03:00:00Z"],
    ["22:00-06:00", "UTC", "2026-03-04T12:00:00Z"],
    ["08:30-18:00", "America/New_York", "2026-03-08T12:00:00Z"], // DST starts that day
    ["07:00-15:00", "Europe/Berlin", "2026-10-25T09:00:00Z"], // DST ends that day
  ];
  for (const [window, timeZone, nowIso] of cases) {
    await t.step(`${window} ${timeZone}`, () => {
      const now = at(nowIso);
      for (let i = 0; i < 2000; i++) {
        const m = sampleMtime(window, { now, rand, timeZone });
        assert.ok(m.getTime() <= now.getTime() - 30 * 60_000, `${m.toISOString()} too recent`);
        assert.ok(inWorkHours(window, m, { timeZone }), `${m.toISOString()} outside ${window}`);
        assert.ok(now.getTime() - m.getTime() < 15 * 86_400_000, "backdated too far");
        assert.equal(m.getTime() % 1000, 0);
      }
    });
  }
});

Deno.test("sampleMtime() honours the backdate bounds when the window is always", () => {
  const rand = mulberry32(5);
  const now = at("2026-03-04T12:00:00Z");
  for (let i = 0; i < 1000; i++) {
    const m = sampleMtime("00:00-00:00", {
      now,
      rand,
      backdateMinHours: 2,
      backdateMaxDays: 1,
    });
    const age = now.getTime() - m.getTime();
    assert.ok(age >= 2 * 3_600_000 && age <= 86_400_000 + 1000, String(age));
  }
});

Deno.test("sampleMtime() is deterministic for a seed", () => {
  const a = sampleMtime("09:00-17:00", { now: at("2026-03-04T12:00:00Z"), rand: mulberry32(9) });
  const b = sampleMtime("09:00-17:00", { now: at("2026-03-04T12:00:00Z"), rand: mulberry32(9) });
  assert.equal(a.getTime(), b.getTime());
});
