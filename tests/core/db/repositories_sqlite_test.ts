import { openDatabase } from "../../../core/db/mod.ts";
import { runRepositoryContract } from "./repository_contract.ts";

Deno.test("repositories honour the contract on SQLite", async (t) => {
  await runRepositoryContract(t, () => openDatabase("sqlite::memory:"));
});
