import { errorText } from "../log/mod.ts";
import type { RunningDecky } from "../db/mod.ts";
import { shuffled } from "./_tick_context.ts";
import type { ActionOutcome, TickContext } from "./_tick_context.ts";
import { fileContainerFor } from "./file_container_for.ts";
import { personasForDecky } from "./personas_for_decky.ts";
import { planSshSession } from "./plan_ssh_session.ts";
import type { SshPeer, SshSessionPlan } from "./plan_ssh_session.ts";
import { sameHostPeers } from "./same_host_peers.ts";

/**
 * SSH between deckies: a persona at work on a surveyed SSH decky logs in to
 * a LAN peer that runs sshd with the decky's own ssh client (see
 * {@linkcode runFleetSshSession}), types a few commands and leaves. Where the
 * peer's port 22 is its sensor's, the session goes to the peer's own sshd on
 * its gated fleet port (the source let through first), so the peer's logs
 * name the source; a peer without that port gets the session on 22, where
 * its sensor records it as the fleet's. Only deckies of the same host are
 * paired (see {@linkcode sameHostPeers}); a swarm agent's pair runs on that
 * agent. Null when no pair of deckies, peer and persona fits what the
 * surveys found.
 */
export async function runTrafficAction(ctx: TickContext): Promise<ActionOutcome | null> {
  const ssh = ctx.deckies.filter((d) =>
    d.services.includes("ssh") && d.ip && fileContainerFor(d) !== null
  );
  if (ssh.length < 2) return null;
  const surveys = new Map<string, Awaited<ReturnType<TickContext["surveyOf"]>>>();
  for (const d of ssh) surveys.set(d.uuid, await ctx.surveyOf(d));
  for (const src of shuffled(ctx.random, ssh)) {
    const srcSurvey = surveys.get(src.uuid);
    if (!srcSurvey) continue;
    const peers: (SshPeer & { decky: RunningDecky })[] = [];
    for (const d of sameHostPeers(src, ssh, (d) => ctx.opsFor(d).host)) {
      const survey = surveys.get(d.uuid);
      if (survey) peers.push({ ip: d.ip!, survey, decky: d });
    }
    const plan = planSshSession(srcSurvey, peers, {
      personas: personasForDecky(src.uuid, await ctx.pool()),
      now: ctx.now,
      random: ctx.random,
    });
    if ("skip" in plan) {
      ctx.log.debug("no ssh session", { decky: src.name, reason: plan.skip });
      continue;
    }
    const dst = peers.find((p) => p.ip === plan.dstIp)!.decky;
    return await sessionAndRecord(ctx, src, dst, plan);
  }
  return null;
}

async function sessionAndRecord(
  ctx: TickContext,
  src: RunningDecky,
  dst: RunningDecky,
  plan: SshSessionPlan,
): Promise<ActionOutcome> {
  let ok = false;
  let error: string | null = null;
  let exitCode: number | null = null;
  let port = 22;
  const ops = ctx.opsFor(src);
  const [srcContainer, dstContainer] = [fileContainerFor(src)!, fileContainerFor(dst)!];
  const keyOf = JSON.stringify([ops.host, srcContainer, dstContainer, plan.login]);
  try {
    const r = await ops.sshSession({
      src: { name: src.name, ip: src.ip, images: src.images, container: srcContainer },
      dst: { name: dst.name, ip: dst.ip, images: dst.images, container: dstContainer },
      login: plan.login,
      dstIp: plan.dstIp,
      commands: plan.commands,
      authorizedKey: ctx.sshKeys.get(keyOf) ?? null,
      signal: ctx.signal,
    });
    if (r.gateError) {
      ctx.log.warn("ssh fleet port not opened", { decky: dst.name, error: r.gateError });
    }
    if (r.authorizedKey) ctx.sshKeys.set(keyOf, r.authorizedKey);
    else ctx.sshKeys.delete(keyOf);
    ok = r.ok;
    port = r.port;
    exitCode = r.exitCode;
    if (!ok) error = `${r.failedStep}: ${r.stderr || `exit code ${r.exitCode}`}`;
  } catch (e) {
    error = errorText(e);
  }
  // Homes changed (.ssh, history): the next plans read them afresh.
  if (!ok) {
    ctx.forgetSurvey(src);
    ctx.forgetSurvey(dst);
  }
  await ctx.repos.orchestrator.insertEvent({
    ts: ctx.now.toISOString(),
    kind: "traffic",
    src_decky_uuid: src.uuid,
    src_decky_name: src.name,
    dst_decky_uuid: dst.uuid,
    dst_decky_name: dst.name,
    success: ok ? 1 : 0,
    payload: JSON.stringify({
      port,
      login: plan.login,
      persona: plan.persona.name,
      commands: plan.commands,
      dst_ip: plan.dstIp,
      exit_code: exitCode,
      ...(ops.host ? { host: ops.host } : {}),
    }),
    error,
  });
  return {
    kind: "traffic",
    decky: src.name,
    deckyUuid: dst.uuid,
    ok,
    action: "ssh",
    detail: ok
      ? `${plan.login}@${src.name} -> ${dst.name}:${port} ${plan.commands.join("; ")}`
      : `${plan.login}@${src.name} -> ${dst.name}:${port} failed: ${error}`,
  };
}
