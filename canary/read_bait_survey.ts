import type { DockerClient } from "../core/docker/mod.ts";
import { shellScript } from "../core/docker/mod.ts";
import type { BaitSurvey, BaitSurveyUser } from "./bait_survey.ts";

// Prints "U login:uid:gid:gecos:home" per user whose home exists, then the
// first line of each dpkg log ("D <line>", rotated ones included), or
// without any the mtime of each /etc entry ("I <epoch seconds>"); the
// oldest of them is the install date. Takes no parameters.
const SCRIPT = `
while IFS=: read -r n _ u g c h _ || [ -n "$n" ]; do
  [ -d "$h" ] && printf 'U %s:%s:%s:%s:%s\\n' "$n" "$u" "$g" "\${c%%,*}" "$h"
done < /etc/passwd
found=""
for f in /var/log/dpkg.log /var/log/dpkg.log.*; do
  [ -f "$f" ] || continue
  case $f in *.gz) line=$(gzip -dc "$f" 2>/dev/null | head -n 1) ;; *) line=$(head -n 1 "$f") ;; esac
  [ -n "$line" ] && printf 'D %s\\n' "$line" && found=1
done
if [ -z "$found" ]; then
  for e in /etc/*; do
    t=$(date -r "$e" +%s 2>/dev/null) && printf 'I %s\\n' "$t"
  done
fi
exit 0
`;

const DPKG_LINE_REGEXP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) /;

/**
 * Reads a decky's users (those with an existing home) and OS install date
 * with one `docker exec` of a constant script (no parameters), for
 * placement until the orchestrator's decky survey is at hand.
 *
 * @param docker the Docker client
 * @param container the container bait goes into
 * @returns users and install date
 * @throws {Error} when the exec fails
 * @example
 * ```ts
 * import type { DockerClient } from "../core/docker/base.ts";
 * import { readBaitSurvey } from "./read_bait_survey.ts";
 * declare const docker: DockerClient;
 * const survey = await readBaitSurvey(docker, "ws-01-ssh");
 * survey.users.filter((u) => u.uid >= 1000);
 * ```
 */
export async function readBaitSurvey(
  docker: DockerClient,
  container: string,
): Promise<BaitSurvey> {
  const result = await docker.exec(container, shellScript(SCRIPT), {
    user: "0",
    timeoutMs: 15_000,
  });
  const text = new TextDecoder().decode(result.stdout);
  if (result.exitCode !== 0) {
    throw new Error(
      `Cannot read the users of ${container}: exit code ${result.exitCode}, got "${
        new TextDecoder().decode(result.stderr).trim().slice(0, 300)
      }"`,
    );
  }
  return parseBaitSurvey(text);
}

function parseBaitSurvey(text: string): BaitSurvey {
  const users: BaitSurveyUser[] = [];
  let installedAt: Date | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("U ")) {
      const [login, uid, gid, realName, home] = line.slice(2).split(":");
      if (home === undefined || !/^\d+$/.test(uid) || !/^\d+$/.test(gid)) continue;
      users.push({ login, uid: Number(uid), gid: Number(gid), realName, home });
    } else if (line.startsWith("D ") || line.startsWith("I ")) {
      // dpkg logs local time; a decky's clock is read as UTC here.
      const m = DPKG_LINE_REGEXP.exec(line.slice(2));
      const at = line.startsWith("D ")
        ? (m ? new Date(`${m[1]}T${m[2]}Z`) : null)
        : new Date(Number(line.slice(2)) * 1000);
      if (at && !Number.isNaN(at.getTime()) && (!installedAt || at < installedAt)) {
        installedAt = at;
      }
    }
  }
  return { users, installedAt };
}
