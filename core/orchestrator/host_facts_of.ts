import type { HostFacts } from "../../realism/mod.ts";
import type { DeckySurvey } from "../survey/mod.ts";

/**
 * What realism's log lines need to know of a surveyed decky: uids by login,
 * the daemons that run (plus sudo when installed) and its LAN peers.
 *
 * @example
 * ```ts
 * import type { DeckySurvey } from "../survey/decky_survey.ts";
 * import { hostFactsOf } from "./host_facts_of.ts";
 * import { makeLogLines, type MakeLogLinesOptions } from "../../realism/make_log_lines.ts";
 * declare const survey: DeckySurvey;
 * declare const options: MakeLogLinesOptions;
 * makeLogLines("log_daemon", { ...options, facts: hostFactsOf(survey) });
 * ```
 */
export function hostFactsOf(survey: DeckySurvey): HostFacts {
  const running = new Set(survey.daemons.filter((d) => d.pids.length > 0).map((d) => d.name));
  if (survey.packages["sudo"]) running.add("sudo");
  const own = new Set(survey.addresses);
  return {
    uids: Object.fromEntries(survey.users.map((u) => [u.login, u.uid])),
    running,
    peers: survey.peers.map((p) => p.ip).filter((ip) => !own.has(ip) && ip !== survey.gateway),
  };
}
