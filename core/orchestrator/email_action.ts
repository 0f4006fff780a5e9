import { errorText } from "../log/mod.ts";
import {
  buildEmailPrompt,
  inWorkHours,
  makeEmailBody,
  resolveTimeZone,
  stripEmDashes,
} from "../../realism/mod.ts";
import type { Persona } from "../../realism/mod.ts";
import type { OrchestratorEmailRow, RunningDecky } from "../db/mod.ts";
import { containerFor, pickOne } from "./_tick_context.ts";
import type { ActionOutcome, TickContext } from "./_tick_context.ts";
import { buildEmailMessage } from "./build_email_message.ts";
import { makeMessageId } from "./make_message_id.ts";
import { plantFile } from "./plant_file.ts";
import { replySubject } from "./reply_subject.ts";
import { threadLinks } from "./thread_links.ts";

/** Chance that a message answers the newest thread between the two personas. */
export const REPLY_PROBABILITY = 0.6;
/** Default spool root inside mail deckies (neutral: attackers can read it). */
export const DEFAULT_MAIL_SPOOL = "/var/spool/mail-archive";

function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1)) % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function activeNow(persona: Persona, now: Date): boolean {
  return inWorkHours(persona.active_hours, now, { timeZone: resolveTimeZone(persona) });
}

function randomHex(random: () => number, length: number): string {
  let hex = "";
  for (let i = 0; i < length; i++) hex += Math.floor(random() * 16).toString(16);
  return hex;
}

/**
 * An e-mail tick: on a running decky with imap or pop3, two different
 * personas active now write to each other, replying to their newest thread
 * with p = 0.6, else opening a new one. The RFC 5322 message lands in
 * `<spool>/<thread>/<message-id>.eml` in the decky's imap (else pop3)
 * container with its mtime at the Date; a row goes to orchestrator_emails.
 * Null when no mail decky has two personas at work.
 */
export async function runEmailAction(ctx: TickContext): Promise<ActionOutcome | null> {
  const mail = ctx.deckies.filter((d) =>
    d.services.includes("imap") || d.services.includes("pop3")
  );
  let decky: RunningDecky | null = null;
  let active: Persona[] = [];
  for (const candidate of shuffled(ctx.random, mail)) {
    active = (await ctx.pool()).filter((p) => activeNow(p, ctx.now));
    if (active.length >= 2) {
      decky = candidate;
      break;
    }
  }
  if (decky === null) return null;
  const sender = pickOne(ctx.random, active);
  const recipient = pickOne(ctx.random, active.filter((p) => p.name !== sender.name));
  let parent: OrchestratorEmailRow | undefined;
  if (ctx.random() < REPLY_PROBABILITY) {
    parent = await ctx.repos.orchestrator.newestMessageBetween(sender.email, recipient.email);
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
  const path = `${ctx.mailSpool}/${threadId}/${messageId.slice(1, -1)}.eml`;
  const container = containerFor(decky, decky.services.includes("imap") ? "imap" : "pop3");
  let ok = false;
  let error: string | null = null;
  try {
    const r = await plantFile(ctx.docker, container, {
      path,
      bytes: new TextEncoder().encode(eml),
      mode: 0o644,
      mtime: date,
      signal: ctx.signal,
    });
    ok = r.ok;
    if (!ok) error = r.stderr || `exit code ${r.exitCode}`;
  } catch (e) {
    error = errorText(e);
  }
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
