import { pickOne, randomAlnum } from "./_random.ts";
import type { ContentClass } from "./content_class.ts";
import { loginFor } from "./login_for.ts";
import type { Persona } from "./persona.ts";

/** Options for {@linkcode makePath}. */
export interface MakePathOptions {
  persona: Pick<Persona, "email" | "name">;
  rand: () => number;
}

// Relative to the home directory unless absolute.
const NAMES: Record<Exclude<ContentClass, "cache_tmp">, readonly string[]> = {
  note: [
    "notes.txt",
    "scratch.md",
    "notes.md",
    "Documents/notes.txt",
    "Documents/meeting-notes.md",
    "notes/standup.md",
    "notes/ideas.txt",
    "notes/1on1.md",
    "Desktop/notes.txt",
    "scratch.txt",
    "Documents/call-notes.md",
    "notes/vendor-call.md",
  ],
  todo: [
    "TODO.md",
    "todo.txt",
    "tasks.md",
    "Documents/todo.md",
    "Desktop/TODO.txt",
    "notes/todo.md",
    "todo-this-week.md",
  ],
  draft: [
    "proposal.md",
    "Q3-budget-DRAFT.md",
    "Documents/drafts/proposal-v2.md",
    "Documents/drafts/reply-to-vendor.txt",
    "Documents/roadmap-draft.md",
    "Documents/handover.md",
    "drafts/announcement.md",
    "Documents/postmortem-draft.md",
    "Documents/drafts/Q4-plan-DRAFT.md",
    "Documents/review-notes-draft.md",
  ],
  script: [
    "bin/backup.sh",
    "fix.py",
    "scripts/cleanup.sh",
    "scripts/rotate_logs.sh",
    "bin/sync.sh",
    "check_disk.sh",
    "scripts/report.py",
    "tools/dedupe.py",
    "deploy.sh",
    "bin/vpn-up.sh",
    "scripts/export_csv.py",
  ],
  log_cron: ["/var/log/cron.log", "/var/log/cron.log.1", "/var/log/cron.log.2.gz"],
  log_daemon: [
    "/var/log/daemon.log",
    "/var/log/syslog",
    "/var/log/auth.log",
    "/var/log/daemon.log.1",
  ],
  email: ["Mail/sent/draft.eml", "Mail/drafts/reply.eml", "Mail/archive/followup.eml"],
  canary_aws_creds: [".aws/credentials", ".aws/credentials.bak"],
  canary_env_file: ["projects/billing-api/.env", "app/.env", "projects/portal/.env.production"],
  canary_git_config: ["projects/infra/.git/config", "src/deploy-tools/.git/config"],
  canary_ssh_key: [".ssh/id_rsa_backup", ".ssh/id_ed25519_old", ".ssh/deploy_key"],
  canary_honeydoc: ["Documents/passwords.txt", "Documents/vpn-access.txt", "Desktop/logins.txt"],
  canary_honeydoc_docx: ["Documents/Network-Credentials.docx", "Documents/Onboarding.docx"],
  canary_honeydoc_pdf: ["Documents/VPN-Setup.pdf", "Documents/Admin-Handbook.pdf"],
  canary_mysql_dump: ["backups/prod-db.sql", "backups/customers-export.sql", "db_backup.sql"],
};

const EIGHT_DIGITS_REGEXP = /\d{8,}/;

/**
 * A plausible absolute path for a new file of `contentClass`, under the
 * persona's home (/home/<login>) for user and canary classes, /var/log
 * for logs and /tmp (mkstemp shape) for caches. A basename never holds a
 * run of 8 or more digits (epoch-stamped names give decoys away).
 *
 * @param contentClass what the file is
 * @param options the persona and randomness
 * @returns an absolute path
 * @example
 * ```ts
 * import type { Persona } from "./persona.ts";
 * declare const persona: Persona;
 * declare const rand: () => number;
 * makePath("todo", { persona, rand }); // "/home/analopez/TODO.md"
 * ```
 */
export function makePath(contentClass: ContentClass, options: MakePathOptions): string {
  const { rand } = options;
  for (;;) {
    let path: string;
    if (contentClass === "cache_tmp") {
      path = rand() < 0.6
        ? `/tmp/.cache-${randomAlnum(rand, 6)}`
        : `/tmp/tmp.${randomAlnum(rand, 10)}`;
    } else {
      const name = pickOne(rand, NAMES[contentClass]);
      path = name.startsWith("/") ? name : `/home/${loginFor(options.persona)}/${name}`;
    }
    if (!EIGHT_DIGITS_REGEXP.test(path.slice(path.lastIndexOf("/") + 1))) return path;
  }
}

/** Whether a planted file at `path` must hold gzip bytes rather than text (rotated logs). */
export function needsGzip(path: string): boolean {
  return path.endsWith(".gz");
}
