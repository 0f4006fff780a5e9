import { errorText } from "../log/mod.ts";
import { loginFor } from "../../realism/mod.ts";
import type { Plan } from "../../realism/mod.ts";
import type { RunningDecky } from "../db/mod.ts";
import { isDaemonRunning, surveyUser } from "../survey/mod.ts";
import type { DeckySurvey } from "../survey/mod.ts";
import type { ActionOutcome, TickContext } from "./_tick_context.ts";
import { insertFileEvent } from "./_insert_file_event.ts";
import { appendHistoryQuietly } from "./_append_history_quietly.ts";
import { fileContainerFor } from "./file_container_for.ts";
import { historyForFile } from "./history_for_file.ts";
import { planCronJob } from "./plan_cron_job.ts";

/**
 * A cron plan: cron lines are never forged; the persona schedules a small
 * job of her own with the decky's `crontab` (the script in her home), and
 * the real cron runs and logs it. Null when cron does not run, the persona
 * has no account, or her job is already scheduled.
 */
export async function runCronJobPlan(
  ctx: TickContext,
  decky: RunningDecky,
  plan: Plan,
  survey: DeckySurvey | null,
): Promise<ActionOutcome | null> {
  const login = loginFor(plan.persona);
  const user = survey ? surveyUser(survey, login) : undefined;
  if (!survey || !user || user.uid === 0 || !isDaemonRunning(survey, "cron")) return null;
  const job = planCronJob(user.home, ctx.random);
  const container = fileContainerFor(decky)!;
  const path = `${user.home.replace(/\/+$/, "")}/${job.relPath}`;
  let ok = false;
  let error: string | null = null;
  try {
    const r = await ctx.opsFor(decky).installCronJob(container, {
      login,
      relPath: job.relPath,
      script: job.script,
      line: job.line,
      signal: ctx.signal,
    });
    if (r.ok && !r.installed) return null;
    ok = r.ok;
    if (!ok) error = r.stderr || `exit code ${r.exitCode}`;
  } catch (e) {
    error = errorText(e);
  }
  if (ok) {
    await appendHistoryQuietly(ctx, decky, login, [
      ...historyForFile({ relPath: job.relPath, action: "create", survey, random: ctx.random }),
      "crontab -e",
    ]);
  }
  await insertFileEvent(ctx, decky, {
    ok,
    error,
    payload: {
      action: "cron",
      path,
      crontab: job.line,
      content_class: plan.content_class,
      persona: plan.persona.name,
      owner: login,
      container,
    },
  });
  return {
    kind: "file",
    decky: decky.name,
    deckyUuid: decky.uuid,
    ok,
    action: "cron",
    detail: ok
      ? `cron ${login} "${job.line}" on ${decky.name}`
      : `cron ${login} on ${decky.name} failed: ${error}`,
  };
}
