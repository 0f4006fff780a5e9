import { fmtCreds } from "@nats-io/jwt";
import { createUser } from "@nats-io/nkeys";
import type { SwarmHostsRepository } from "../../../core/db/mod.ts";
import { enrollSwarmHost, readSwarmIssuer, redeemJoinToken } from "../../../core/swarm/mod.ts";

/**
 * Enrolls `name` on the master whose keys live in `home` and redeems its
 * token as the agent would: returns the agent's creds file text and key.
 */
export async function enrollAndJoin(
  hosts: SwarmHostsRepository,
  home: string,
  name: string,
): Promise<{ creds: string; publicKey: string }> {
  const { token } = await enrollSwarmHost(hosts, name, {
    now: new Date(),
    random: (b) => crypto.getRandomValues(b),
  });
  const user = createUser();
  const issuer = await readSwarmIssuer(home);
  const { userJwt } = await redeemJoinToken(hosts, issuer!, {
    token,
    publicKey: user.getPublicKey(),
    version: "test",
  }, new Date());
  return {
    creds: new TextDecoder().decode(fmtCreds(userJwt, user)),
    publicKey: user.getPublicKey(),
  };
}
