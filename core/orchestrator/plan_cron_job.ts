/** A persona's own cron job: the script it runs and its crontab line. */
export interface CronJobPlan {
  /** Script path relative to the home. */
  relPath: string;
  /** The script's text. */
  script: string;
  /** The crontab line (schedule and command, with the real home). */
  line: string;
}

// Small jobs people keep for themselves; each only touches its owner's home.
const JOBS: readonly { relPath: string; schedule: readonly string[]; script: string }[] = [
  {
    relPath: "bin/cleanup-tmp.sh",
    schedule: ["30 2 * * *", "0 3 * * 0", "45 1 * * *"],
    script: `#!/bin/sh
# clear out old scratch files
find "$HOME/tmp" -type f -mtime +14 -delete 2>/dev/null
exit 0
`,
  },
  {
    relPath: "bin/backup-notes.sh",
    schedule: ["15 18 * * 1-5", "0 19 * * 5", "30 17 * * 1-5"],
    script: `#!/bin/sh
# keep a week of note backups
mkdir -p "$HOME/backups"
cd "$HOME" || exit 1
tar czf "backups/notes-$(date +%u).tar.gz" notes Documents 2>/dev/null
exit 0
`,
  },
  {
    relPath: "bin/disk-report.sh",
    schedule: ["0 8 * * 1-5", "5 9 * * 1", "50 7 * * *"],
    script: `#!/bin/sh
mkdir -p "$HOME/reports"
df -h / /home > "$HOME/reports/disk-$(date +%F).txt" 2>&1
find "$HOME/reports" -name 'disk-*.txt' -mtime +30 -delete
`,
  },
];

/**
 * Picks a small job a user would schedule for herself: the script (kept in
 * her home) and the crontab line that runs it, for the decky's real cron
 * to run and log. Pure.
 *
 * @param home the user's real home
 * @param random randomness
 * @returns the script and the crontab line
 * @example
 * ```ts
 * planCronJob("/home/ana", Math.random);
 * // { relPath: "bin/backup-notes.sh", script: "#!/bin/sh...", line: "15 18 * * 1-5 /home/ana/bin/backup-notes.sh" }
 * ```
 */
export function planCronJob(home: string, random: () => number): CronJobPlan {
  const job = JOBS[Math.floor(random() * JOBS.length) % JOBS.length];
  const schedule = job.schedule[Math.floor(random() * job.schedule.length) % job.schedule.length];
  const quiet = random() < 0.5 ? " >/dev/null 2>&1" : "";
  return {
    relPath: job.relPath,
    script: job.script,
    line: `${schedule} ${home.replace(/\/+$/, "")}/${job.relPath}${quiet}`,
  };
}
