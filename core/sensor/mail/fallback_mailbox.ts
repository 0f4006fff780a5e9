import type { MailMessage } from "./mail_message.ts";

/** Options for {@linkcode fallbackMailbox}. */
export interface FallbackMailboxOptions {
  /** Seeds the choice of messages, so one decky always shows the same mail. */
  decky: string;
  /** The mailbox owner's login. */
  owner: string;
  /** The host's name; its domain part names the company's mail domain. */
  hostname?: string;
  now: Date;
}

interface Template {
  from: [string, string];
  subject: string;
  body: string;
}

const TEMPLATES: readonly Template[] = [
  {
    from: ["IT Service Desk", "servicedesk"],
    subject: "Scheduled maintenance this weekend",
    body: "Hello,\n\nthe file and mail servers will be restarted on Saturday between\n" +
      "22:00 and 23:30 for security updates. Please save your work and log\n" +
      "out of shared drives before you leave on Friday.\n\nThank you,\nIT Service Desk\n",
  },
  {
    from: ["Human Resources", "hr"],
    subject: "Reminder: submit your timesheet",
    body: "Hi,\n\nthis is a friendly reminder that timesheets for the current period\n" +
      "are due by Monday noon. Late submissions delay payroll processing.\n\n" +
      "Best regards,\nHR\n",
  },
  {
    from: ["Martin Keller", "m.keller"],
    subject: "Quarterly review slides",
    body: "Hi,\n\nI put the draft slides for the quarterly review on the shared drive\n" +
      "under Finance/Reviews. Could you check the numbers on slide 7 before\n" +
      "Thursday?\n\nThanks,\nMartin\n",
  },
  {
    from: ["Sarah Nguyen", "s.nguyen"],
    subject: "Re: vendor contract renewal",
    body: "Hi,\n\nlegal had two small comments on the renewal, nothing blocking.\n" +
      "I will send the signed copy to procurement tomorrow morning.\n\nSarah\n",
  },
  {
    from: ["Facilities", "facilities"],
    subject: "Parking garage closed on Wednesday",
    body: "Dear colleagues,\n\nthe parking garage will be closed on Wednesday for cleaning.\n" +
      "Please use the visitor lot on the north side instead.\n\nFacilities Management\n",
  },
  {
    from: ["Daniel Brooks", "d.brooks"],
    subject: "Team lunch on Friday",
    body: "Hi all,\n\nwe are doing a team lunch on Friday at 12:30, the usual place.\n" +
      "Let me know by Thursday if you can make it.\n\nDaniel\n",
  },
];

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A plausible corporate INBOX for a decky whose spool holds no mail for the
 * user: four of a few stock messages, picked and dated (during the last
 * ten days, office hours, before `now`) from a hash of the decky's name,
 * so a decky shows the same mailbox on every connection. Pure.
 *
 * @param options decky, owner, host and clock
 * @returns messages, oldest first
 * @example
 * ```ts
 * fallbackMailbox({ decky: "ws-01", owner: "ana", now: new Date() }).length; // 4
 * ```
 */
export function fallbackMailbox(options: FallbackMailboxOptions): MailMessage[] {
  let seed = hash(options.decky);
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const domain = mailDomain(options.hostname ?? options.decky);
  const order = [...TEMPLATES.keys()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const picks = order.slice(0, 4);
  const day = 86_400_000;
  const today = Math.floor(options.now.getTime() / day) * day;
  const messages = picks.map((index, i) => {
    const daysAgo = (4 - i) * 2 + Math.floor(next() * 2);
    const seconds = (8 * 3600) + Math.floor(next() * 9 * 3600);
    let time = today - daysAgo * day + seconds * 1000;
    if (time > options.now.getTime()) time = options.now.getTime() - (4 - i) * 3_600_000;
    return render(
      TEMPLATES[index],
      new Date(time),
      options.owner,
      domain,
      Math.floor(next() * 1e9),
    );
  });
  return messages.sort((a, b) => a.internalDate.getTime() - b.internalDate.getTime());
}

function render(
  template: Template,
  date: Date,
  owner: string,
  domain: string,
  id: number,
): MailMessage {
  const [name, local] = template.from;
  const sender = `${local}@${domain}`;
  const lines = [
    `Return-Path: <${sender}>`,
    `Delivered-To: ${owner}`,
    `Date: ${rfc5322Date(date)}`,
    `From: ${name} <${sender}>`,
    `To: ${owner}@${domain}`,
    `Subject: ${template.subject}`,
    `Message-ID: <${date.getTime().toString(36)}.${id.toString(36)}@${domain}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: 7bit",
    "",
    ...template.body.replace(/\n$/, "").split("\n"),
  ];
  return { raw: lines.map((l) => `${l}\r\n`).join(""), internalDate: date, flags: [] };
}

function rfc5322Date(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAY_NAMES[d.getUTCDay()]}, ${d.getUTCDate()} ${
    MONTHS[d.getUTCMonth()]
  } ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function mailDomain(hostname: string): string {
  if (/^[\d.:]+$/.test(hostname)) return "localdomain";
  const dot = hostname.indexOf(".");
  return dot > 0 ? hostname.slice(dot + 1) : `${hostname}.localdomain`;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) || 1;
}
