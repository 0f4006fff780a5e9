import { errorText } from "../log/mod.ts";
import {
  buildEmailPrompt,
  inWorkHours,
  loginFor,
  makeEmailBody,
  resolveTimeZone,
  stripEmDashes,
} from "../../realism/mod.ts";
import type { Persona } from "../../realism/mod.ts";
import type { OrchestratorEmailRow, RunningDecky } from "../db/mod.ts";
import { isDaemonRunning, surveyUser } from "../survey/mod.ts";
import type { DeckySurvey } from "../survey/mod.ts";
import { pickOne, shuffled } from "./_tick_context.ts";
import type { ActionOutcome, TickContext } from "./_tick_context.ts";
import { buildEmailMessage } from "./build_email_message.ts";
import { makeMessageId } from "./make_message_id.ts";
import { deliveryHeaders } from "./delivery_headers.ts";
import { fileContainerFor } from "./file_container_for.ts";
import { inboxPath } from "./inbox_path.ts";
import { replyDueAt } from "./reply_due_at.ts";
import { replySubject } from "./reply_subject.ts";
import { threadLinks } from "./thread_links.ts";

/** Chance that a message answers the newest thread between the two personas. */
export const REPLY_PROBABILITY = 0.6;

function activeNow(persona: Persona, now: Date): boolean {
  return inWorkHours(persona.active_hours, now, { timeZone: resolveTimeZone(persona) });
}

function randomHex(random: () => number, length: number): string {
  let hex = "";
  for (let i = 0; i < length; i++) hex += Math.floor(random() * 16).toString(16);
  return hex;
}

/** A mail decky where dovecot and an MTA run, with the personas at work and the recipients among them. */
interface MailTarget {
  decky: RunningDecky;
  survey: DeckySurvey;
  active: Persona[];
  recipients: Persona[];
}

async function findMailTarget(ctx: TickContext): Promise<MailTarget | null> {
  const mail = ctx.deckies.filter((d) =>
    d.services.includes("imap") || d.services.includes("pop3")
  );
  for (const decky of shuffled(ctx.random, mail)) {
    const active = (await ctx.pool()).filter((p) => activeNow(p, ctx.now));
    if (active.length < 2) continue;
    const survey = await ctx.surveyOf(decky);
    // Mail reaches a host through its MTA: stored mail on a box without one is a tell.
    if (
      !survey || !isDaemonRunning(survey, "dovecot") || !isDaemonRunning(survey, "mta") ||
      !survey.mailLocation
    ) continue;
    const recipients = active.filter((p) => surveyUser(survey, loginFor(p)) !== undefined);
    if (recipients.length > 0) return { decky, survey, active, recipients };
  }
  return null;
}

/**
 * An e-mail tick: on a running decky with imap or pop3 whose survey shows
 * dovecot and an MTA (exim4, postfix) running, a persona at work writes to
 * another one who has an account there, answering the newest message the recipient sent her once
 * her reply latency has passed (p = 0.6), else opening a new thread. The
 * decky's own dovecot LDA delivers it (LF line ends, Return-Path and
 * Received added) into the mailbox its IMAP/POP3 server reads; a row goes
 * to orchestrator_emails. Null when no mail decky fits.
 */
export async function runEmailAction(ctx: TickContext): Promise<ActionOutcome | null> {
  const target = await findMailTarget(ctx);
  if (target === null) return null;
  const { decky, survey } = target;
  const recipient = pickOne(ctx.random, target.recipients);
  const sender = pickOne(ctx.random, target.active.filter((p) => p.name !== recipient.name));
  const login = loginFor(recipient);
  let parent: OrchestratorEmailRow | undefined;
  if (ctx.random() < REPLY_PROBABILITY) {
    parent = await ctx.repos.orchestrator.newestMessageBetween(sender.email, recipient.email);
    const due = parent ? replyDueAt(parent, sender) : null;
    // Her own message, or too soon to answer: a new thread instead.
    if (due === null || due > ctx.now) parent = undefined;
  }
  const template = makeEmailBody(sender, {
    recipient,
    rand: ctx.random,
    ...(parent ? { replyTo: parent.subject } : {}),
  });
  const subject = parent ? replySubject(parent.subject) : template.subject;
  let body = template.body;
  let source = "template";
  if (ctx.llm && ctx.breaker.allow()) {
    const prompt = buildEmailPrompt({
      sender,
      recipient,
      rand: ctx.random,
      subject,
      ...(parent ? { thread: [{ from: parent.sender, body: parent.body }] } : {}),
    });
    const r = await ctx.llm.generate(prompt, { timeoutMs: ctx.llmTimeoutMs, signal: ctx.signal });
    const text = r.ok ? r.text.replace(/\r\n/g, "\n").trim() : "";
    if (text === "") {
      ctx.breaker.recordFailure();
      ctx.log.debug("email body from template", { reason: r.error ?? "empty output" });
    } else {
      ctx.breaker.recordSuccess();
      body = `${sender.uses_llms_heavily ? text : stripEmDashes(text)}\n`;
      source = "llm";
    }
  }
  const domain = sender.email.split("@")[1];
  const messageId = makeMessageId(domain, { now: ctx.now, random: ctx.random });
  const links = parent ? threadLinks(parent) : null;
  const threadId = parent?.thread_id ?? randomHex(ctx.random, 16);
  const date = new Date(Math.floor(ctx.now.getTime() / 1000) * 1000);
  const eml = buildEmailMessage({
    from: { name: sender.name, email: sender.email },
    to: { name: recipient.name, email: recipient.email },
    subject,
    body,
    date,
    timeZone: resolveTimeZone(sender),
    messageId,
    inReplyTo: links?.inReplyTo ?? null,
    references: links?.references ?? [],
  });
  const user = surveyUser(survey, login)!;
  const path = survey.mailLocation ? inboxPath(survey.mailLocation, user) ?? "" : "";
  const stored = deliveryHeaders({
    sender: sender.email,
    login,
    hostname: survey.hostname ?? decky.name,
    date,
    timeZone: survey.timeZone ?? "UTC",
    random: ctx.random,
  }) + eml.replace(/\r\n/g, "\n");
  let ok = false;
  let error: string | null = null;
  try {
    const r = await ctx.opsFor(decky).deliverMail(fileContainerFor(decky)!, {
      login,
      sender: sender.email,
      bytes: new TextEncoder().encode(stored),
      signal: ctx.signal,
    });
    if (r.noLda) {
      ctx.log.debug("no mail written", { decky: decky.name, reason: "no dovecot LDA" });
      return null;
    }
    ok = r.ok;
    if (!ok) error = r.stderr || `exit code ${r.exitCode}`;
  } catch (e) {
    error = errorText(e);
  }
  if (!ok) ctx.forgetSurvey(decky);
  await ctx.repos.orchestrator.insertEmail({
    ts: ctx.now.toISOString(),
    mail_decky_uuid: decky.uuid,
    mail_decky_name: decky.name,
    thread_id: threadId,
    message_id: messageId,
    in_reply_to: links?.inReplyTo ?? null,
    references_chain: links?.references.join(" ") ?? "",
    sender: sender.email,
    recipient: recipient.email,
    subject,
    language: sender.language,
    body,
    path,
    success: ok ? 1 : 0,
    error,
  });
  const action = parent ? "reply" : "send";
  return {
    kind: "email",
    decky: decky.name,
    deckyUuid: decky.uuid,
    ok,
    action,
    detail: ok
      ? `${action} ${sender.email} -> ${recipient.email} "${subject}" (${source})`
      : `${action} ${sender.email} -> ${recipient.email} failed: ${error}`,
  };
}
