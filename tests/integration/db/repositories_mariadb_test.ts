import { openDatabase } from "../../../core/db/mod.ts";
import { runAlertsContract } from "../../core/db/alerts_contract.ts";
import { runAttackersContract } from "../../core/db/attackers_contract.ts";
import { runAuditContract } from "../../core/db/audit_contract.ts";
import { runCampaignsContract } from "../../core/db/campaigns_contract.ts";
import { runRepositoryContract } from "../../core/db/repository_contract.ts";
import { runSwarmHostsContract } from "../../core/db/swarm_hosts_contract.ts";
import { runTcpFingerprintsContract } from "../../core/db/tcp_fingerprints_contract.ts";
import { runTriggerRollupContract } from "../../core/db/trigger_rollup_contract.ts";
import { mariaDbUnavailable, startMariaDb } from "../../infra/mariadb.ts";

Deno.test({
  name: "repositories honour the contract on a real MariaDB",
  ignore: mariaDbUnavailable() !== undefined,
  async fn(t) {
    await using server = await startMariaDb();
    let n = 0;
    await runRepositoryContract(
      t,
      async () => openDatabase(await server.createDatabase(`c${n++}`)),
    );
    await runTriggerRollupContract(
      t,
      async () => openDatabase(await server.createDatabase(`c${n++}`)),
      { floodHits: 4000 },
    );
    await runAttackersContract(
      t,
      async () => openDatabase(await server.createDatabase(`c${n++}`)),
    );
    await runTcpFingerprintsContract(
      t,
      async () => openDatabase(await server.createDatabase(`c${n++}`)),
    );
    await runAuditContract(t, async () => openDatabase(await server.createDatabase(`c${n++}`)));
    await runCampaignsContract(
      t,
      async () => openDatabase(await server.createDatabase(`c${n++}`)),
    );
    await runAlertsContract(t, async () => openDatabase(await server.createDatabase(`c${n++}`)));
    await runSwarmHostsContract(
      t,
      async () => openDatabase(await server.createDatabase(`c${n++}`)),
    );
  },
});
