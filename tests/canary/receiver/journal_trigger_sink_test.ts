import assert from "node:assert/strict";
import { JournalTriggerSink } from "../../../canary/receiver/journal_trigger_sink.ts";
import type { JournalWriter } from "../../../core/journal/mod.ts";

const TOKEN = { uuid: "3f1c2b9e-0000-4000-8000-000000000001", slug: "Ab3dEf6hIj9kLm2nOp5qRs" };
const index = {
  bySlug: (slug: string) => slug === TOKEN.slug ? TOKEN : undefined,
  bySlugLc: (slugLc: string) => slugLc === TOKEN.slug.toLowerCase() ? TOKEN : undefined,
};
// Lookups never touch the journal.
const sink = new JournalTriggerSink({} as JournalWriter, index);

Deno.test("JournalTriggerSink.activeBySlug() answers from the snapshot at once, as findActiveBySlug does", async () => {
  const expected = { uuid: TOKEN.uuid, callbackToken: TOKEN.slug };
  assert.deepEqual(sink.activeBySlug(TOKEN.slug), expected);
  assert.deepEqual(await sink.findActiveBySlug(TOKEN.slug), expected);
  assert.equal(sink.activeBySlug(TOKEN.slug.toLowerCase()), null);
  assert.equal(await sink.findActiveBySlug("nope"), null);
});
