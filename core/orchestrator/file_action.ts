import { errorText } from "../log/mod.ts";
import {
  afterInstall,
  decide,
  isCanary,
  isUser,
  lastLogLineAt,
  loginFor,
  makeBody,
  makeBodyWithLlm,
  makeLogLines,
  needsGzip,
  nextIteration,
} from "../../realism/mod.ts";
import type { EditCandidate, Plan, PlannerDecky } from "../../realism/mod.ts";
import type { RunningDecky, SyntheticFileRow } from "../db/mod.ts";
import type { ActionOutcome, TickContext } from "./_tick_context.ts";
import { insertFileEvent } from "./_insert_file_event.ts";
import { fileContainerFor } from "./file_container_for.ts";
import type { CanaryBait } from "./canary_cultivator.ts";
import { historyForFile } from "./history_for_file.ts";
import { homeTarget } from "./home_target.ts";
import { hostFactsOf } from "./host_facts_of.ts";
import { runCronJobPlan } from "./cron_job_action.ts";
import { appendHistoryQuietly } from "./_append_history_quietly.ts";
import { logTarget } from "./log_target.ts";
import { personasForDecky } from "./personas_for_decky.ts";

/** Share of file ticks that fetch an edit candidate. */
export const EDIT_CANDIDATE_SHARE = 0.5;
/** Log lines appended to a live log are stamped within this window before now. */
export const LOG_APPEND_WINDOW_MS = 60_000;

const encoder = new TextEncoder();

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Gzip bytes of `text` (rotated logs are planted compressed). */
async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function textOrEmpty(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "";
  }
}

/**
 * A file tick: about half the time an edit candidate is fetched; the
 * planner chooses create, edit or leave alone; the body comes from the
 * templates, the LLM (user classes, breaker permitting) or the canary
 * cultivator; the file is planted with the persona's ownership and the
 * planned mtime, and synthetic_files is upserted. Null when nothing is to
 * be done (nobody at work, left alone, the edited row vanished).
 */
export async function runFileAction(ctx: TickContext): Promise<ActionOutcome | null> {
  const planners: PlannerDecky[] = [];
  const byUuid = new Map<string, RunningDecky>();
  for (const decky of ctx.deckies) {
    if (fileContainerFor(decky) === null) continue;
    const personas = personasForDecky(decky.uuid, await ctx.pool());
    if (personas.length === 0) continue;
    planners.push({ uuid: decky.uuid, name: decky.name, hostname: decky.name, personas });
    byUuid.set(decky.uuid, decky);
  }
  if (planners.length === 0) return null;
  let row: SyntheticFileRow | undefined;
  if (ctx.random() < EDIT_CANDIDATE_SHARE) {
    row = await ctx.repos.syntheticFiles.pickEditCandidate(ctx.random);
  }
  const editCandidate: EditCandidate | null = row && byUuid.has(row.decky_uuid)
    ? {
      decky_uuid: row.decky_uuid,
      persona: row.persona,
      content_class: row.content_class,
      path: row.path,
      previous_body: row.last_body,
      last_modified: new Date(row.last_modified),
    }
    : null;
  const decision = decide(planners, ctx.now, {
    rand: ctx.random,
    config: ctx.settings,
    editCandidate,
  });
  ctx.log.debug("file planner", { decision: decision.decision, reason: decision.reason });
  let plan = decision.plan;
  if (plan === null) return null;
  const decky = byUuid.get(plan.decky_uuid)!;
  const login = loginFor(plan.persona);
  const survey = await ctx.surveyOf(decky);
  const placed = homeTarget(plan.target_path, login, survey);
  if ("skip" in placed) {
    ctx.log.debug("file left alone", { decky: decky.name, reason: placed.skip });
    return null;
  }
  plan = { ...plan, target_path: placed.path };
  if (isCanary(plan.content_class)) {
    let bait: CanaryBait | null = null;
    const login = loginFor(plan.persona);
    // Bait goes only to a home its persona really has on the decky.
    const survey = await ctx.surveyOf(decky);
    const account = survey?.users.find((u) => u.login === login);
    try {
      if (survey === null || account) {
        bait = await ctx.cultivate(plan.content_class, {
          persona: plan.persona,
          login,
          ...(account ? { home: account.home } : {}),
          decky,
          now: ctx.now,
        });
      }
    } catch (e) {
      ctx.log.warn("canary cultivation failed; planting an ordinary file", {
        content_class: plan.content_class,
        error: errorText(e),
      });
    }
    if (bait) {
      const baitPlaced = homeTarget(bait.path, login, survey);
      if (!("skip" in baitPlaced)) {
        return await plantBait(ctx, decky, plan, { ...bait, path: baitPlaced.path });
      }
      ctx.log.debug("bait left unplanted", { decky: decky.name, reason: baitPlaced.skip });
      return null;
    }
    plan = fallbackPlan(ctx, planners.find((p) => p.uuid === decky.uuid)!, plan);
    if (plan === null) return null;
  }
  const home = homeTarget(plan.target_path, login, survey);
  if ("skip" in home) return null;
  plan = { ...plan, target_path: home.path };
  if (plan.content_class === "log_cron") return await runCronJobPlan(ctx, decky, plan, survey);
  if (plan.content_class === "log_daemon") return await appendLogPlan(ctx, decky, plan);
  if (plan.action === "edit") {
    // The row may have gone (decky torn down, file pruned) since it was read.
    if (!row || !(await ctx.repos.syntheticFiles.get(row.id))) return null;
  }
  const outcome = await plantPlan(ctx, decky, plan);
  if (outcome.ok && survey && isUser(plan.content_class) && home.relPath) {
    // The user's own shell history tells of the file she made or changed.
    await appendHistoryQuietly(
      ctx,
      decky,
      login,
      historyForFile({
        relPath: home.relPath,
        action: plan.action === "edit" ? "edit" : "create",
        survey,
        random: ctx.random,
      }),
    );
  }
  return outcome;
}

/** A non-canary create plan for the same decky and persona (no canary configuration). */
function fallbackPlan(ctx: TickContext, planner: PlannerDecky, canary: Plan): Plan | null {
  const only: PlannerDecky = { ...planner, personas: [canary.persona] };
  for (let attempt = 0; attempt < 8; attempt++) {
    const { plan } = decide([only], ctx.now, {
      rand: ctx.random,
      config: { ...ctx.settings, canary_probability: 0 },
    });
    if (plan && plan.action === "create" && !isCanary(plan.content_class)) return plan;
  }
  return null;
}

/**
 * A daemon log plan: a few lines appended to a live log the survey
 * found (the file keeps its inode, owner and mode), stamped up to now, naming
 * only running programs, real uids and real peers. Null when the decky's
 * survey leaves no log to grow (no syslog daemon, no cron, no such file, no
 * account for the persona).
 */
async function appendLogPlan(
  ctx: TickContext,
  decky: RunningDecky,
  plan: Plan,
): Promise<ActionOutcome | null> {
  const survey = await ctx.surveyOf(decky);
  if (survey === null) return null;
  const target = logTarget(survey, {
    contentClass: plan.content_class,
    path: plan.target_path,
    login: loginFor(plan.persona),
  });
  if ("skip" in target) {
    ctx.log.debug("log left alone", { decky: decky.name, reason: target.skip });
    return null;
  }
  const { file, stampFormat } = target;
  const since = Math.min(
    ctx.now.getTime() - 1000,
    Math.max(ctx.now.getTime() - LOG_APPEND_WINDOW_MS, file.mtime.getTime()),
  );
  const lines = makeLogLines(plan.content_class as "log_cron" | "log_daemon", {
    persona: plan.persona,
    decky: {
      name: decky.name,
      hostname: survey.hostname ?? decky.name,
      // Without /etc/localtime glibc (and so the syslog daemon) stamps in UTC.
      timezone: survey.timeZone ?? "UTC",
    },
    rand: ctx.random,
    now: ctx.now,
    since: new Date(since),
    count: 1 + Math.floor(ctx.random() * 3),
    path: file.path,
    facts: hostFactsOf(survey),
    // Match the file's own lines (rsyslog on Debian 12 stamps RFC 3339).
    stampFormat,
  });
  if (lines === "") return null;
  const container = fileContainerFor(decky)!;
  return await writeAndRecord(ctx, decky, {
    plan: { ...plan, target_path: file.path },
    bytes: encoder.encode(lines),
    textBody: lines,
    mode: file.mode,
    mtime: ctx.now,
    path: file.path,
    extra: { source: "template" },
    action: "append",
    write: async () => {
      const r = await ctx.opsFor(decky).appendLog(container, {
        path: file.path,
        bytes: encoder.encode(lines),
        signal: ctx.signal,
      });
      // The file went (rotated, removed) since the survey: look again next time.
      if (!r.ok) ctx.forgetSurvey(decky);
      return {
        ok: r.ok,
        error: r.ok ? null : r.stderr || `exit code ${r.exitCode}`,
        owner: file.owner,
      };
    },
  });
}

async function plantPlan(
  ctx: TickContext,
  decky: RunningDecky,
  plan: Plan,
): Promise<ActionOutcome> {
  const bodyDecky = { name: decky.name, hostname: decky.name };
  // A rotated log was last written by its last line: its mtime is that line's.
  const rotatedLog = needsGzip(plan.target_path) &&
    (plan.content_class === "log_cron" || plan.content_class === "log_daemon");
  const mtime = rotatedLog
    ? lastLogLineAt(plan.content_class === "log_cron" ? "cron" : "daemon", plan.mtime)
    : plan.mtime;
  const base = {
    persona: plan.persona,
    decky: bodyDecky,
    rand: ctx.random,
    now: mtime,
    path: plan.target_path,
  };
  let body: string;
  let source = "template";
  let model: string | undefined;
  if (plan.action === "edit") {
    body = nextIteration(plan.content_class, { ...base, previous: plan.previous_body ?? "" });
  } else if (isUser(plan.content_class)) {
    const r = await makeBodyWithLlm(plan.content_class, {
      ...base,
      llm: ctx.llm,
      breaker: ctx.breaker,
      timeoutMs: ctx.llmTimeoutMs,
      signal: ctx.signal,
      hint: plan.body_hint,
    });
    body = r.body;
    source = r.source;
    model = r.model;
    if (r.error && ctx.llm) ctx.log.debug("file body from template", { reason: r.error });
  } else {
    body = makeBody(plan.content_class, base);
  }
  // The text body is kept for the next edit; a rotated log is planted gzipped.
  const bytes = needsGzip(plan.target_path) ? await gzip(body) : encoder.encode(body);
  return await plantAndRecord(ctx, decky, {
    plan,
    bytes,
    textBody: body,
    mode: 0o644,
    mtime,
    path: plan.target_path,
    extra: { source, ...(model ? { model } : {}) },
  });
}

async function plantBait(
  ctx: TickContext,
  decky: RunningDecky,
  plan: Plan,
  bait: CanaryBait,
): Promise<ActionOutcome> {
  // The master keeps the token of bait on an agent's decky, with the host it went to.
  await ctx.repos.canary.insertToken({ ...bait.token, decky_host: ctx.opsFor(decky).host });
  const installedAt = (await ctx.surveyOf(decky))?.installedAt ?? null;
  const companions = bait.companions && bait.path.startsWith(`${bait.companions.root}/`)
    ? bait.companions
    : undefined;
  // The bait and its companions keep their order (a repository's commits before its clone).
  const times = [bait.mtime, ...companions?.files.map((f) => f.mtime) ?? []];
  const dated = datedAfterInstall(times, { installedAt, now: ctx.now, rand: ctx.random });
  let outcome = await plantAndRecord(ctx, decky, {
    plan: { ...plan, target_path: bait.path },
    bytes: bait.bytes,
    textBody: textOrEmpty(bait.bytes),
    mode: bait.mode,
    mtime: dated[0],
    path: bait.path,
    extra: { source: "canary", token_uuid: bait.token.uuid },
  });
  if (outcome.ok && companions) {
    let error: string | null = null;
    try {
      const r = await ctx.opsFor(decky).plantTree(fileContainerFor(decky)!, {
        root: companions.root,
        login: loginFor(plan.persona),
        files: companions.files.map((f, i) => ({ ...f, mtime: dated[i + 1] })),
        signal: ctx.signal,
      });
      if (!r.ok) error = r.stderr || `exit code ${r.exitCode}`;
    } catch (e) {
      error = errorText(e);
    }
    if (error !== null) {
      outcome = {
        ...outcome,
        ok: false,
        detail: `create ${companions.root} on ${decky.name} failed: ${error}`,
      };
    }
  }
  await ctx.repos.canary.setTokenState(
    bait.token.uuid,
    outcome.ok ? "planted" : "failed",
    outcome.ok ? null : outcome.detail,
  );
  return outcome;
}

/**
 * Times moved after the OS install together: when the earliest predates it,
 * all are mapped in order onto the span from just after the install to where
 * {@linkcode afterInstall} puts the first (the bait's own time).
 */
function datedAfterInstall(
  times: readonly Date[],
  options: { installedAt: Date | null; now: Date; rand: () => number },
): Date[] {
  const earliest = Math.min(...times.map((t) => t.getTime()));
  const installed = options.installedAt?.getTime();
  // An install date after now is not believed (as afterInstall does).
  if (installed === undefined || earliest >= installed || installed >= options.now.getTime()) {
    return [...times];
  }
  const last = afterInstall(times[0], options).getTime();
  const latest = Math.max(...times.map((t) => t.getTime()));
  const from = installed + Math.min(3_600_000, (last - installed) / 10);
  const scale = latest > earliest ? (last - from) / (latest - earliest) : 0;
  return times.map((t) => new Date(Math.round(from + (t.getTime() - earliest) * scale)));
}

interface PlantRecord {
  plan: Plan;
  bytes: Uint8Array;
  textBody: string;
  mode: number;
  mtime: Date;
  path: string;
  extra: Record<string, string>;
  /** What the event row calls it. @default plan.action */
  action?: string;
}

/** How a record's bytes reached the decky: the owner the file ended with. */
interface WriteResult {
  ok: boolean;
  error: string | null;
  owner: string;
}

/**
 * Plants the file with the persona's ownership (root when the login does not
 * exist there), dated no earlier than the decky's OS install.
 */
async function plantAndRecord(
  ctx: TickContext,
  decky: RunningDecky,
  record: PlantRecord,
): Promise<ActionOutcome> {
  const owner = loginFor(record.plan.persona);
  const installedAt = (await ctx.surveyOf(decky))?.installedAt ?? null;
  const mtime = afterInstall(record.mtime, { installedAt, now: ctx.now, rand: ctx.random });
  return await writeAndRecord(ctx, decky, {
    ...record,
    mtime,
    write: async () => {
      const r = await ctx.opsFor(decky).plantFile(fileContainerFor(decky)!, {
        path: record.path,
        bytes: record.bytes,
        mode: record.mode,
        mtime,
        owner,
        signal: ctx.signal,
      });
      return {
        ok: r.ok,
        error: r.ok ? null : r.stderr || `exit code ${r.exitCode}`,
        owner: r.owned ? owner : "root",
      };
    },
  });
}

async function writeAndRecord(
  ctx: TickContext,
  decky: RunningDecky,
  record: PlantRecord & { write: () => Promise<WriteResult> },
): Promise<ActionOutcome> {
  const { plan } = record;
  const action = record.action ?? plan.action;
  const container = fileContainerFor(decky)!;
  let ok = false;
  let error: string | null = null;
  let owner = "root";
  try {
    ({ ok, error, owner } = await record.write());
  } catch (e) {
    error = errorText(e);
  }
  let editCount: number | null = null;
  const contentHash = await sha256Hex(record.bytes);
  if (ok) {
    const row = await ctx.repos.syntheticFiles.upsert({
      deckyUuid: decky.uuid,
      path: record.path,
      persona: plan.persona.name,
      contentClass: plan.content_class,
      at: ctx.now.toISOString(),
      lastModified: record.mtime.toISOString(),
      contentHash,
      body: record.textBody,
    });
    editCount = row.edit_count;
  }
  await insertFileEvent(ctx, decky, {
    ok,
    error,
    payload: {
      action,
      path: record.path,
      content_class: plan.content_class,
      persona: plan.persona.name,
      owner,
      mode: record.mode.toString(8).padStart(4, "0"),
      mtime: record.mtime.toISOString(),
      bytes: record.bytes.length,
      content_hash: contentHash,
      edit_count: editCount,
      container,
      ...record.extra,
    },
  });
  return {
    kind: "file",
    decky: decky.name,
    deckyUuid: decky.uuid,
    ok,
    action,
    detail: ok
      ? `${action} ${plan.content_class} ${record.path} on ${decky.name}`
      : `${action} ${record.path} on ${decky.name} failed: ${error}`,
  };
}
