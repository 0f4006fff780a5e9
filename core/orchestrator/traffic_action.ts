import { errorText } from "../log/mod.ts";
import { pickOne } from "./_tick_context.ts";
import type { ActionOutcome, TickContext } from "./_tick_context.ts";
import { containerFor } from "./_tick_context.ts";
import { exchangeSshBanners, SSH_CLIENT_IDENTS } from "./exchange_ssh_banners.ts";

/**
 * SSH chatter: from inside a random SSH decky's ssh container, open TCP to
 * another SSH decky's port 22, send a client identification and read the
 * banner. Null when fewer than two SSH deckies with an address run.
 */
export async function runTrafficAction(ctx: TickContext): Promise<ActionOutcome | null> {
  const ssh = ctx.deckies.filter((d) => d.services.includes("ssh") && d.ip);
  if (ssh.length < 2) return null;
  const src = pickOne(ctx.random, ssh);
  const others = ssh.filter((d) => d.uuid !== src.uuid);
  const dst = pickOne(ctx.random, others);
  const clientIdent = pickOne(ctx.random, SSH_CLIENT_IDENTS);
  let payload: Record<string, unknown>;
  let ok = false;
  let error: string | null;
  try {
    const r = await exchangeSshBanners(ctx.docker, containerFor(src, "ssh"), {
      host: dst.ip!,
      port: 22,
      clientIdent,
      signal: ctx.signal,
    });
    ok = r.ok;
    payload = {
      client_ident: clientIdent,
      port: 22,
      banner: r.banner,
      exit_code: r.exitCode,
      stderr: r.stderr,
      tool: r.tool,
    };
    error = ok ? null : (r.stderr || `no SSH banner (exit code ${r.exitCode})`);
  } catch (e) {
    error = errorText(e);
    payload = { client_ident: clientIdent, port: 22 };
  }
  await ctx.repos.orchestrator.insertEvent({
    ts: ctx.now.toISOString(),
    kind: "traffic",
    src_decky_uuid: src.uuid,
    src_decky_name: src.name,
    dst_decky_uuid: dst.uuid,
    dst_decky_name: dst.name,
    success: ok ? 1 : 0,
    payload: JSON.stringify({ ...payload, dst_ip: dst.ip }),
    error,
  });
  return {
    kind: "traffic",
    decky: src.name,
    deckyUuid: dst.uuid,
    ok,
    action: "ssh",
    detail: ok
      ? `${src.name} -> ${dst.name}:22 ${String(payload.banner)}`
      : `${src.name} -> ${dst.name}:22 failed: ${error}`,
  };
}
