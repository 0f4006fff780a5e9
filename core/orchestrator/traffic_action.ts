import { errorText } from "../log/mod.ts";
import type { RunningDecky } from "../db/mod.ts";
import { gateFleetSshPort, SSH_FLEET_PORT } from "../fleet/gate_fleet_ssh_port.ts";
import { isSensorImage } from "../sensor/sensor_image.ts";
import { shuffled } from "./_tick_context.ts";
import type { ActionOutcome, TickContext } from "./_tick_context.ts";
import { fileContainerFor } from "./file_container_for.ts";
import { personasForDecky } from "./personas_for_decky.ts";
import { planSshSession } from "./plan_ssh_session.ts";
import type { SshPeer, SshSessionPlan } from "./plan_ssh_session.ts";
import { runSshSession } from "./run_ssh_session.ts";
import { trustFleetSshKey } from "./trust_fleet_ssh_key.ts";

/**
 * SSH between deckies: a persona at work on a surveyed SSH decky logs in to
 * a LAN peer that runs sshd with the decky's own ssh client (see
 * {@linkcode runSshSession}), types a few commands and leaves. Where the
 * peer's port 22 is its sensor's, the session goes to the peer's own sshd on
 * its gated fleet port (the source let through first), so the peer's logs
 * name the source; a peer without that port gets the session on 22, where
 * its sensor records it as the fleet's. Null when no pair of deckies, peer
 * and persona fits what the surveys found.
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
    for (const d of ssh) {
      const survey = surveys.get(d.uuid);
      if (d.uuid !== src.uuid && survey) peers.push({ ip: d.ip!, survey, decky: d });
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
  const [srcContainer, dstContainer] = [fileContainerFor(src)!, fileContainerFor(dst)!];
  const keyOf = JSON.stringify([srcContainer, dstContainer, plan.login]);
  const port = await sshPortOf(ctx, src, dst, dstContainer);
  try {
    const r = await runSshSession(ctx.docker, {
      src: srcContainer,
      dst: dstContainer,
      login: plan.login,
      dstIp: plan.dstIp,
      port,
      commands: plan.commands,
      authorizedKey: ctx.sshKeys.get(keyOf) ?? null,
      ...(port === 22 ? { beforeSession: (key) => trustFleetSshKey(ctx.docker, dst, key) } : {}),
      signal: ctx.signal,
    });
    if (r.authorizedKey) ctx.sshKeys.set(keyOf, r.authorizedKey);
    else ctx.sshKeys.delete(keyOf);
    ok = r.ok;
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

/**
 * The peer's port for the session: its fleet port when its sensor serves 22
 * and the gate now lets the source through to its listening sshd, else 22.
 */
async function sshPortOf(
  ctx: TickContext,
  src: RunningDecky,
  dst: RunningDecky,
  dstContainer: string,
): Promise<number> {
  if (!isSensorImage(dst.images?.ssh) || !src.ip) return 22;
  try {
    const state = await gateFleetSshPort(ctx.docker, dstContainer, {
      peers: [src.ip],
      signal: ctx.signal,
    });
    return state === "open" ? SSH_FLEET_PORT : 22;
  } catch (e) {
    ctx.log.warn("ssh fleet port not opened", { decky: dst.name, error: errorText(e) });
    return 22;
  }
}
