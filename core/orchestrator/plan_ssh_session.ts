import { inWorkHours, loginFor, resolveTimeZone } from "../../realism/mod.ts";
import type { Persona } from "../../realism/mod.ts";
import { isDaemonRunning, surveyUser } from "../survey/mod.ts";
import type { DeckySurvey, SurveyRoute } from "../survey/mod.ts";

/** Commands a person types in a short interactive session on a neighbour. */
export const SSH_SESSION_COMMANDS: readonly (readonly string[])[] = [
  ["uptime"],
  ["df -h /"],
  ["w"],
  ["free -m"],
  ["ls"],
  ["ls -la"],
  ["uname -a"],
  ["who"],
  ["uptime", "df -h"],
  ["ls", "df -h"],
  ["cat /etc/debian_version"],
  ["ps aux | head"],
];

/** A peer a session may reach: its address and survey. */
export interface SshPeer {
  ip: string;
  survey: DeckySurvey;
}

/** One planned session: who logs in where, and what they type there. */
export interface SshSessionPlan {
  persona: Persona;
  login: string;
  dstIp: string;
  /** Typed on the peer, one per line, then `exit`. */
  commands: readonly string[];
}

/** Options for {@linkcode planSshSession}. */
export interface PlanSshSessionOptions {
  /** The source decky's personas. */
  personas: readonly Persona[];
  now: Date;
  random: () => number;
}

/**
 * Plans a real SSH session from a surveyed decky to one of its LAN peers:
 * only when the source has the OpenSSH client, the peer runs sshd and sits
 * on a network the source reaches directly, and a persona at work now has
 * a login shell on both. Pure.
 *
 * @param src the source decky's survey
 * @param peers candidate peers (other deckies with their surveys)
 * @param options personas, clock and randomness
 * @returns the plan, or why there is none
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import type { DeckySurvey } from "../survey/decky_survey.ts";
 * import type { Persona } from "../../realism/persona.ts";
 * import { planSshSession } from "./plan_ssh_session.ts";
 * import { runSshSession } from "./run_ssh_session.ts";
 * declare const docker: DockerClient;
 * declare const personas: Persona[];
 * declare const survey: DeckySurvey;
 * declare const peer: DeckySurvey;
 * const plan = planSshSession(survey, [{ ip: "192.0.2.12", survey: peer }], {
 *   personas, now: new Date(), random: Math.random,
 * });
 * if ("login" in plan) {
 *   const { login, dstIp, commands } = plan;
 *   await runSshSession(docker, { src: "ws-01-ssh", dst: "db-01-ssh", login, dstIp, commands });
 * }
 * ```
 */
export function planSshSession(
  src: DeckySurvey,
  peers: readonly SshPeer[],
  options: PlanSshSessionOptions,
): SshSessionPlan | { skip: string } {
  if (!src.packages["openssh-client"]) return { skip: "no ssh client" };
  const own = new Set(src.addresses);
  const reachable = peers.filter((p) =>
    !own.has(p.ip) && isDaemonRunning(p.survey, "sshd") && onLink(p.ip, src.routes)
  );
  if (reachable.length === 0) return { skip: "no LAN peer runs sshd" };
  const working = options.personas.filter((p) =>
    inWorkHours(p.active_hours, options.now, { timeZone: resolveTimeZone(p) })
  );
  const pairs: { persona: Persona; peer: SshPeer }[] = [];
  for (const persona of working) {
    const login = loginFor(persona);
    if (!hasShell(src, login)) continue;
    for (const peer of reachable) if (hasShell(peer.survey, login)) pairs.push({ persona, peer });
  }
  if (pairs.length === 0) return { skip: "no persona at work has a login on a peer" };
  const { persona, peer } = pairs[Math.floor(options.random() * pairs.length) % pairs.length];
  const commands = SSH_SESSION_COMMANDS[
    Math.floor(options.random() * SSH_SESSION_COMMANDS.length) % SSH_SESSION_COMMANDS.length
  ];
  return { persona, login: loginFor(persona), dstIp: peer.ip, commands };
}

/** The account exists and may log in (no nologin/false shell). */
function hasShell(survey: DeckySurvey, login: string): boolean {
  const user = surveyUser(survey, login);
  return user !== undefined && user.uid !== 0 && !/(nologin|false)$/.test(user.shell);
}

/** Whether `ip` is on a network one of `routes` reaches without a gateway. */
function onLink(ip: string, routes: readonly SurveyRoute[]): boolean {
  const addr = ipv4ToInt(ip);
  if (addr === null) return false;
  return routes.some((r) => {
    if (r.gateway !== null) return false;
    const [net, bits] = r.destination.split("/");
    const base = ipv4ToInt(net);
    const len = Number(bits);
    if (base === null || !Number.isInteger(len) || len <= 0 || len > 32) return false;
    const mask = len === 32 ? 0xffffffff : ~(0xffffffff >>> len) >>> 0;
    return ((addr & mask) >>> 0) === ((base & mask) >>> 0);
  });
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) return null;
    n = n * 256 + v;
  }
  return n >>> 0;
}
