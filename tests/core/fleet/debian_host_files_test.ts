import assert from "node:assert/strict";
import { debianHostsFile, debianResolvConf } from "../../../core/fleet/mod.ts";

Deno.test("debianHostsFile() writes the installer's layout: own name on 127.0.1.1, no container address", () => {
  const text = debianHostsFile("ws-01");
  assert.equal(
    text,
    "127.0.0.1\tlocalhost\n127.0.1.1\tws-01\n\n" +
      "# The following lines are desirable for IPv6 capable hosts\n" +
      "::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n",
  );
  assert.doesNotMatch(text, /ip6-localnet|ip6-mcastprefix/);
});

Deno.test("debianResolvConf() writes one nameserver line per resolver and nothing else", () => {
  assert.equal(
    debianResolvConf(["10.0.0.53", "10.0.0.54"]),
    "nameserver 10.0.0.53\nnameserver 10.0.0.54\n",
  );
});
