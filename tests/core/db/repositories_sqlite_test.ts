import { openDatabase } from "../../../core/db/mod.ts";
import { runAlertsContract } from "./alerts_contract.ts";
import { runAttackersContract } from "./attackers_contract.ts";
import { runAuditContract } from "./audit_contract.ts";
import { runCampaignsContract } from "./campaigns_contract.ts";
import { runRepositoryContract } from "./repository_contract.ts";
import { runSwarmHostsContract } from "./swarm_hosts_contract.ts";
import { runTcpFingerprintsContract } from "./tcp_fingerprints_contract.ts";
import { runTriggerRollupContract } from "./trigger_rollup_contract.ts";

Deno.test("repositories honour the contract on SQLite", async (t) => {
  await runRepositoryContract(t, () => openDatabase("sqlite::memory:"));
});

Deno.test("trigger rollups and retention honour the contract on SQLite", async (t) => {
  await runTriggerRollupContract(t, () => openDatabase("sqlite::memory:"), { floodHits: 20_000 });
});

Deno.test("attackers, credentials and service events honour the contract on SQLite", async (t) => {
  await runAttackersContract(t, () => openDatabase("sqlite::memory:"));
});

Deno.test("TCP fingerprints join attacker records as the contract says on SQLite", async (t) => {
  await runTcpFingerprintsContract(t, () => openDatabase("sqlite::memory:"));
});

Deno.test("audit log and API keys honour the contract on SQLite", async (t) => {
  await runAuditContract(t, () => openDatabase("sqlite::memory:"));
});

Deno.test("identities and campaigns honour the contract on SQLite", async (t) => {
  await runCampaignsContract(t, () => openDatabase("sqlite::memory:"));
});

Deno.test("alert channels, rules, throttle windows and outbox honour the contract on SQLite", async (t) => {
  await runAlertsContract(t, () => openDatabase("sqlite::memory:"));
});

Deno.test("swarm hosts honour the contract on SQLite", async (t) => {
  await runSwarmHostsContract(t, () => openDatabase("sqlite::memory:"));
});
