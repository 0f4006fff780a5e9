// Folder-private word banks for the body templates. Slots in braces are
// filled by `fillSlots`: {person} {vendor} {day} {n} {host} {month} {pct} {ticket}.
import { pickOne, randInt } from "./_random.ts";

export interface DomainBank {
  readonly topics: readonly string[];
  readonly tasks: readonly string[];
  readonly facts: readonly string[];
}

const ENGINEERING: DomainBank = {
  topics: [
    "CI runners",
    "TLS renewal",
    "Postgres upgrade",
    "flaky integration tests",
    "backup retention",
    "VPN split tunnel",
    "log shipping",
    "on-call handover",
    "disk alerts on {host}",
    "the staging cluster",
  ],
  tasks: [
    "renew the wildcard cert before {day}",
    "ask {person} why the nightly build takes {n} min now",
    "bump retention on the backup bucket to {n} days",
    "patch {host} and reboot after hours",
    "write up the runbook for the VPN failover",
    "check why cron on {host} mails root every hour",
    "review {person}'s PR for the log shipper",
    "clean up old docker images on {host}",
    "move the DNS records for the portal",
    "test restore from last {day}'s backup",
    "rotate the service account keys ({ticket})",
    "look at the {pct}% packet loss on the office uplink",
    "update the firewall rule for {vendor}",
    "upgrade node on the build box",
  ],
  facts: [
    "{person} says the {host} disk hits {pct}% around midnight",
    "nightly job failed twice this week, both on {day}",
    "{vendor} support ticket still open ({ticket})",
    "restore test took {n} min, fine",
    "staging is still on the old kernel",
    "{person} owns the VPN config now",
    "backups go to the NAS first, then offsite",
    "latency on the portal jumped after the deploy on {day}",
    "need a maintenance window for {host}",
    "cert expires in {n} days",
  ],
};

const FINANCE: DomainBank = {
  topics: [
    "Q3 forecast",
    "vendor invoices",
    "expense reports",
    "audit prep",
    "payroll run",
    "AP aging",
    "the {vendor} contract",
    "travel budget",
  ],
  tasks: [
    "send {person} the updated forecast by {day}",
    "chase the {vendor} invoice (overdue {n} days)",
    "reconcile the corporate card statements",
    "approve expense reports from the sales team",
    "prep the audit binder for {month}",
    "check payroll totals against last month",
    "ask {person} about the missing PO for {vendor}",
    "update the budget sheet with Q{n} actuals",
    "book time with the auditors",
    "review the accruals list",
  ],
  facts: [
    "{vendor} wants net 60 instead of net 30",
    "travel is {pct}% over plan",
    "{person} signs off on anything above the threshold",
    "month end close moved to {day}",
    "the auditors need the bank letters by the {n}th",
    "forecast assumes {pct}% growth",
    "two invoices from {vendor} look duplicated",
  ],
};

const PEOPLE: DomainBank = {
  topics: [
    "onboarding checklist",
    "benefits enrollment",
    "interview loop",
    "performance reviews",
    "the offsite",
    "training budget",
  ],
  tasks: [
    "send the offer letter to the new hire ({person} approved)",
    "schedule interviews for the support role",
    "order a laptop for the starter on {day}",
    "collect review forms before {day}",
    "update the handbook section on remote work",
    "book the room for the offsite",
    "reply to {person} about parental leave",
    "post the job ad on two more boards",
  ],
  facts: [
    "{n} candidates left for the analyst role",
    "{person} starts on {day}",
    "benefits window closes on the {n}th",
    "reviews are {pct}% done",
    "{vendor} is the new training provider",
  ],
};

const SALES: DomainBank = {
  topics: [
    "the {vendor} renewal",
    "pipeline review",
    "pricing deck",
    "trade show booth",
    "campaign numbers",
    "the partner program",
  ],
  tasks: [
    "follow up with {vendor} on the renewal",
    "send {person} the updated pricing deck",
    "log the call notes in the CRM",
    "prep slides for the pipeline review on {day}",
    "ask legal about the {vendor} redlines",
    "book the booth for the spring show",
    "check campaign numbers with {person}",
  ],
  facts: [
    "{vendor} wants a {pct}% discount for three years",
    "pipeline is {n} deals, two look real",
    "{person} thinks the demo went well",
    "procurement at {vendor} is slow, expect {month}",
    "open rate on the last campaign was {pct}%",
  ],
};

const MANAGEMENT: DomainBank = {
  topics: ["hiring plan", "roadmap", "team offsite", "OKRs", "budget review", "reorg"],
  tasks: [
    "finish the hiring plan draft for {person}",
    "1:1 prep for {day}",
    "review the roadmap with {person}",
    "sign off on the {vendor} contract",
    "write feedback for {person}",
    "block time for the budget review",
    "answer {person} about the reorg",
  ],
  facts: [
    "headcount approved for {n} roles",
    "{person} wants to move to the platform team",
    "offsite is on {day}, agenda still open",
    "OKRs at {pct}% so far",
    "{vendor} decision pushed to {month}",
  ],
};

const GENERAL: DomainBank = {
  topics: ["office move", "laptop refresh", "quarterly review", "printer issues", "shared drive"],
  tasks: [
    "ask {person} about the shared drive permissions",
    "book the meeting room for {day}",
    "send the weekly update",
    "clean up the desktop folder",
    "call {vendor} about the printer lease",
    "renew the parking permit",
    "fill in the timesheet for last week",
  ],
  facts: [
    "printer on the second floor jams again",
    "{person} is out until {day}",
    "office move planned for {month}",
    "{vendor} quote came in {pct}% higher",
    "{n} people still on old laptops",
  ],
};

const DOMAIN_KEYWORDS: readonly [RegExp, DomainBank][] = [
  [/engineer|develop|dev|sre|admin|ops|security|it\b|network|data|architect/i, ENGINEERING],
  [/financ|account|controller|cfo|budget|payroll|treasur/i, FINANCE],
  [/hr\b|human|recruit|people|talent/i, PEOPLE],
  [/sales|account exec|market|business dev|partner|customer/i, SALES],
  [/manager|director|head|lead|chief|ceo|cto|vp|founder/i, MANAGEMENT],
];

/** The word bank matching a persona's role. */
export function domainFor(role: string): DomainBank {
  for (const [re, bank] of DOMAIN_KEYWORDS) if (re.test(role)) return bank;
  return GENERAL;
}

export const PEOPLE_NAMES = [
  "Priya",
  "Tom",
  "Lena",
  "Marco",
  "Aisha",
  "Jonas",
  "Mei",
  "Carlos",
  "Sven",
  "Fatima",
  "Dave",
  "Ines",
  "Kofi",
  "Yuki",
  "Ruth",
  "Olek",
] as const;

export const VENDORS = [
  "Brightline",
  "Kestrel Logistics",
  "Mayfield",
  "Orbis Freight",
  "Halvorsen",
  "Bluewater",
  "Tandem Print",
  "Northgate",
] as const;

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] as const;
export const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Replaces every {slot} with a random value. */
export function fillSlots(template: string, rand: () => number, host: string): string {
  return template.replace(/\{(\w+)\}/g, (whole, slot: string) => {
    switch (slot) {
      case "person":
        return pickOne(rand, PEOPLE_NAMES);
      case "vendor":
        return pickOne(rand, VENDORS);
      case "day":
        return pickOne(rand, WEEKDAYS);
      case "n":
        return String(randInt(rand, 2, 45));
      case "pct":
        return String(randInt(rand, 3, 97));
      case "month":
        return pickOne(rand, MONTH_NAMES);
      case "host":
        return host;
      case "ticket":
        return `${pickOne(rand, ["OPS", "IT", "INC", "REQ"])}-${randInt(rand, 120, 4999)}`;
      default:
        return whole;
    }
  });
}
