/**
 * Appends numbered records to a journal from 32 concurrent appenders until
 * killed, printing `acked <n>` once record n is durable (for
 * journal_kill9_test.ts). Usage: deno run -A _journal_appender_main.ts DIR
 */
import { JournalWriter } from "../../core/journal/mod.ts";

const journal = await JournalWriter.open(Deno.args[0], { maxBytes: 64 * 1024 ** 2 });
const encoder = new TextEncoder();
let next = 0;
await Promise.all(Array.from({ length: 32 }, async () => {
  for (;;) {
    const n = next++;
    await journal.append([JSON.stringify({ n, pad: "x".repeat(200) })]);
    await Deno.stdout.write(encoder.encode(`acked ${n}\n`));
  }
}));
