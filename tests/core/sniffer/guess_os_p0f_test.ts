import assert from "node:assert/strict";
import { guessOs, parseSynFrame } from "../../../core/sniffer/mod.ts";
import { flowKey, ourFamily, p0fFamily, p0fUnavailable, runP0f } from "./p0f_agreement.ts";
import { loadSynFixture, SYN_FIXTURE } from "./syn_fixture.ts";

Deno.test({
  name: "guessOs() agrees with p0f on the Linux and nmap SYNs of the same capture",
  ignore: p0fUnavailable() !== undefined,
  fn: async () => {
    const verdicts = await runP0f(SYN_FIXTURE.pathname);
    const { linkType, frames } = loadSynFixture();
    const checked: string[] = [];
    for (const { data } of frames) {
      const syn = parseSynFrame(data, linkType)!;
      const theirs = p0fFamily(verdicts.get(flowKey(syn)) ?? "???");
      if (theirs !== "Linux" && theirs !== "nmap") continue;
      assert.equal(ourFamily(guessOs(syn)), theirs, `${flowKey(syn)}: p0f says ${theirs}`);
      checked.push(theirs);
    }
    // The capture holds 2 curl SYNs and 3 nmap probes: all must have been compared.
    assert.deepEqual(checked, ["Linux", "Linux", "nmap", "nmap", "nmap"]);
  },
});
