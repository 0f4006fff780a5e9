import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";

Deno.test("decnet user add/passwd refuse common passwords and input that is not UTF-8, saying why (exit 2)", async () => {
  const home = await Deno.makeTempDir({ prefix: "cli-pw-" });
  try {
    const common = await runDecnet(["user", "add", "vera", "--role", "viewer"], {
      home,
      stdin: "Summer2024!!\n",
    });
    assert.equal(common.code, 2);
    assert.match(
      common.stderr,
      /Refused the password from standard input: expected a password that is not one of the 10,000 most common/,
    );
    assert.doesNotMatch(common.stderr, /Summer2024/);

    const latin1 = new Uint8Array([...new TextEncoder().encode("long-enough-gr"), 0xfc, 0x0a]);
    const badStdin = await runDecnet(["user", "add", "vera", "--role", "viewer"], {
      home,
      stdin: latin1,
    });
    assert.equal(badStdin.code, 2);
    assert.match(
      badStdin.stderr,
      /Cannot read the password from standard input: expected valid UTF-8 text/,
    );

    await Deno.writeFile(`${home}/pw`, latin1);
    const badFile = await runDecnet(
      ["user", "add", "vera", "--role", "viewer", "--password-file", `${home}/pw`],
      { home },
    );
    assert.equal(badFile.code, 2);
    assert.match(badFile.stderr, /from --password-file .*\/pw: expected valid UTF-8 text/);

    const list = await runDecnet(["user", "list", "--json"], { home });
    assert.deepEqual(JSON.parse(list.stdout).items, []);

    const add = await runDecnet(["user", "add", "vera", "--role", "viewer"], {
      home,
      stdin: "an-uncommon-passphrase\n",
    });
    assert.equal(add.code, 0, add.stderr);
    const passwd = await runDecnet(["user", "passwd", "vera"], { home, stdin: "qwertyuiop12\n" });
    assert.equal(passwd.code, 2);
    assert.match(passwd.stderr, /10,000 most common/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
