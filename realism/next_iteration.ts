import { lastSyslogTime, logLines } from "./_log_lines.ts";
import { chance, pickOne, randInt } from "./_random.ts";
import { draftAddition, noteAddition, scriptAddition, todoItem } from "./_user_bodies.ts";
import type { ContentClass } from "./content_class.ts";
import { bodyContext } from "./make_body.ts";
import type { MakeBodyOptions } from "./make_body.ts";

/** Options for {@linkcode nextIteration}. */
export interface NextIterationOptions extends MakeBodyOptions {
  /** The body as it is now. */
  previous: string;
}

const UNCHECKED_REGEXP = /^(\s*[-*] )\[ \]/;

/**
 * The next version of a file a person keeps working on: a TODO gets a box
 * ticked and/or an item added; notes, drafts and scripts grow at the end;
 * logs only grow, with timestamps after the last line's and up to `now`.
 *
 * @param contentClass the file's class
 * @param options persona, decky, randomness, the edit's mtime and the previous body
 * @returns the new body; it always starts with the previous one, except a
 *   TODO where a box was ticked
 * @throws {TypeError} for classes that are never edited (cache, email, canaries)
 */
export function nextIteration(contentClass: ContentClass, options: NextIterationOptions): string {
  const ctx = bodyContext(options);
  const { rand } = ctx;
  const previous = options.previous.endsWith("\n") || options.previous === ""
    ? options.previous
    : `${options.previous}\n`;
  switch (contentClass) {
    case "todo": {
      const lines = previous.replace(/\n$/, "").split("\n");
      const open = lines.flatMap((l, i) => (UNCHECKED_REGEXP.test(l) ? [i] : []));
      let changed = false;
      if (open.length > 0 && chance(rand, 0.6)) {
        const i = pickOne(rand, open);
        lines[i] = lines[i].replace(UNCHECKED_REGEXP, "$1[x]");
        changed = true;
      }
      if (!changed || chance(rand, 0.5)) lines.push(todoItem(ctx, previous));
      return `${lines.join("\n")}\n`;
    }
    case "note":
      return previous + noteAddition(ctx);
    case "draft":
      return previous + draftAddition(ctx);
    case "script":
      return previous + scriptAddition(ctx);
    case "log_cron":
    case "log_daemon": {
      const logCtx = { ...ctx, timeZone: ctx.hostTimeZone };
      const last = lastSyslogTime(previous, ctx.nowMs, logCtx.timeZone) ??
        ctx.nowMs - 3_600_000;
      const untilMs = Math.max(ctx.nowMs, last + 120_000);
      return previous + logLines(contentClass === "log_cron" ? "cron" : "daemon", logCtx, {
        afterMs: last,
        untilMs,
        count: randInt(rand, 1, 8),
      }).join("\n") + "\n";
    }
    default:
      throw new TypeError(`Cannot edit body: class is never edited, got "${contentClass}"`);
  }
}
