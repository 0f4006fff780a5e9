import type { CanaryContext } from "../canary_context.ts";
import { SlugRandom } from "../slug_random.ts";

/** The words of a report document, varied per slug. */
export interface ReportText {
  title: string;
  /** File name without extension. */
  baseName: string;
  /** Folders under the home the document sits in, e.g. ["Documents", "reports"]. */
  folder: string[];
  heading: string;
  paragraphs: string[];
  table: string[][];
}

const TOPICS = [
  ["Infrastructure Cost Review", "infra_cost_review"],
  ["Vendor Access Audit", "vendor_access_audit"],
  ["Network Segmentation Plan", "network_segmentation_plan"],
  ["Backup and Recovery Test Results", "backup_recovery_results"],
  ["Payroll System Migration", "payroll_migration"],
  ["Incident Postmortem", "incident_postmortem"],
  ["Cloud Account Inventory", "cloud_account_inventory"],
  ["Firewall Change Summary", "firewall_changes"],
  ["Customer Churn Analysis", "churn_analysis"],
  ["Data Retention Review", "data_retention_review"],
] as const;
const PERIODS = ["Q1", "Q2", "Q3", "Q4", "H1", "H2"] as const;
const SENTENCES = [
  "Figures below are taken from the finance export and have not yet been reconciled.",
  "The remaining items are tracked in the shared tracker and reviewed every Tuesday.",
  "Access to the production accounts was restricted to the on-call group in March.",
  "Two service accounts still use long-lived keys and are scheduled for rotation.",
  "Please do not forward this document outside the team before sign-off.",
  "Storage growth was driven mainly by log retention on the analytics cluster.",
  "The vendor confirmed the maintenance window but has not shared the runbook.",
  "Credentials for the legacy environment are kept in the vault under ops/legacy.",
  "Costs rose compared with the previous period, mostly from data transfer.",
  "The migration is blocked on the database upgrade and the DNS cut-over.",
  "Open questions are listed at the end; owners are named where known.",
  "Restore tests succeeded for all but one volume, which is being investigated.",
  "Action items from the last review were closed except the certificate renewal.",
  "Budget approval for the next phase is expected after the board meeting.",
] as const;
const ITEMS = [
  "Compute",
  "Storage",
  "Network egress",
  "Licences",
  "Support contract",
  "Backups",
  "Monitoring",
  "Identity provider",
  "VPN",
  "Databases",
  "CDN",
  "Email relay",
] as const;

/**
 * Report wording for a context: topic, period, a varying number of
 * paragraphs and a small table, so documents differ in text and size.
 */
export function reportText(context: CanaryContext, label: string): ReportText {
  const rng = new SlugRandom(context.shapeSeed ?? context.slug, `report:${label}`);
  const [topic, base] = rng.pick(TOPICS);
  const period = rng.pick(PERIODS);
  const year = 2023 + rng.int(0, 2);
  // Every sentence at most once per document: a repeated one reads as generated.
  const sentences = rng.sample(SENTENCES, SENTENCES.length);
  const paragraphs: string[] = [];
  const count = rng.int(3, 6);
  for (let i = 0; i < count && sentences.length > 0; i++) {
    paragraphs.push(sentences.splice(0, rng.int(2, 3)).join(" "));
  }
  const table = [["Item", "Owner", "Amount (USD)", "Status"]];
  for (const item of rng.sample(ITEMS, rng.int(3, 8))) {
    table.push([
      item,
      rng.pick(["ops", "finance", "security", "platform", "it"]),
      (rng.int(1200, 98000) + rng.int(0, 99) / 100).toFixed(2),
      rng.pick(["open", "done", "in review", "blocked"]),
    ]);
  }
  return {
    title: `${topic} ${period} ${year}`,
    baseName: `${base}_${period.toLowerCase()}_${year}`,
    folder: rng.pick([["Documents"], ["Documents", "reports"], ["reports"], ["Documents", period]]),
    heading: topic,
    paragraphs,
    table,
  };
}
