import assert from "node:assert/strict";
import { guessOs, parseSynFrame, SynTracker } from "../../core/sniffer/mod.ts";
import type { TcpFingerprint } from "../../core/sniffer/mod.ts";
import {
  captureSyns,
  sendStandardSyns,
  STANDARD_SYNS,
  synCaptureUnavailable,
} from "../infra/capture_syns.ts";
import { createNetnsPair } from "../infra/netns_pair.ts";
import { readPcap } from "../infra/read_pcap.ts";
import { ourFamily } from "../core/sniffer/p0f_agreement.ts";

const skip = synCaptureUnavailable();

Deno.test({
  name: "SynTracker names this kernel's and nmap's SYNs and classes crafted sequences, live",
  ignore: skip !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "sniffer-live-" });
    try {
      await using pair = await createNetnsPair({ extraClientAddresses: 10 });
      const pcap = await captureSyns(pair, {
        dir,
        expected: STANDARD_SYNS,
        send: () => sendStandardSyns(pair),
      });
      const { linkType, frames } = readPcap(Deno.readFileSync(pcap));
      const prefix = pair.client.address.slice(0, pair.client.address.lastIndexOf(".") + 1);
      const tracker = new SynTracker();
      const events = new Map<string, TcpFingerprint[]>();
      for (const [i, { data }] of frames.entries()) {
        const syn = parseSynFrame(data, linkType);
        assert.ok(syn, `frame ${i} is a SYN (the kernel filter let only SYNs through)`);
        assert.equal(syn.dstIp, pair.server.address);
        if (syn.srcIp === pair.client.address) {
          const expected = syn.window === 1024 ? "nmap" : syn.window === 512 ? "hping3" : "Linux";
          assert.equal(
            ourFamily(guessOs(syn)),
            expected,
            `window ${syn.window} ${syn.options.signature}`,
          );
        }
        const event = tracker.observe(syn, new Date(1_800_000_000_000 + i));
        if (event) events.set(syn.srcIp, [...events.get(syn.srcIp) ?? [], event]);
      }
      const classes = (n: number) =>
        (events.get(`${prefix}${n}`) ?? []).map((e) => [e.ipid_class, e.isn_class]);
      // Six SYNs each: one event with unknown classes, one when the 4th SYN makes them known.
      assert.deepEqual(classes(18), [["unknown", "unknown"], ["incremental", "constant"]]);
      assert.deepEqual(classes(19), [["unknown", "unknown"], ["zero", "incremental"]]);
      // scapy's defaults four times: IP-ID 1, ISN 0.
      assert.deepEqual(classes(17), [["unknown", "unknown"], ["constant", "zero"]]);
      const marked = events.get(`${prefix}18`)!.at(-1)!;
      assert.deepEqual([marked.tos, marked.dscp, marked.ecn, marked.repeats], ["42", 10, 2, 2]);
      assert.equal(tracker.pendingRepeats(`${prefix}18`), 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
