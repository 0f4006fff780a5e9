import assert from "node:assert/strict";
import { ShellRecorder } from "../../../../core/sensor/ssh/shell_recorder.ts";

const bytes = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

Deno.test("ShellRecorder.feed() ends lines at CR or LF, across chunks", () => {
  const recorder = new ShellRecorder();
  assert.deepEqual(recorder.feed(bytes("cat /etc/pas")), { lines: [], keystrokes: [] });
  assert.deepEqual(recorder.feed(bytes("swd\rid\n")), {
    lines: ["cat /etc/passwd", "id"],
    keystrokes: ["cat /etc/passwd\r", "id\n"],
  });
});

Deno.test("ShellRecorder.feed() applies backspace and ^U and drops escape sequences", () => {
  const recorder = new ShellRecorder();
  const { lines, keystrokes } = recorder.feed(bytes("lss\x7f -la\x1b[A\x1bOB\rjunk\x15whoami\r"));
  assert.deepEqual(lines, ["ls -la", "whoami"]);
  assert.equal(keystrokes.join(""), "lss\x7f -la\x1b[A\x1bOB\rjunk\x15whoami\r");
});

Deno.test("ShellRecorder keeps every byte in keystroke batches of at most 256", () => {
  const recorder = new ShellRecorder();
  const typed = "x".repeat(600);
  const { lines, keystrokes } = recorder.feed(bytes(typed));
  assert.deepEqual(lines, []);
  assert.deepEqual(keystrokes.map((k) => k.length), [256, 256]);
  assert.deepEqual(recorder.flush(), ["x".repeat(88)]);
  assert.deepEqual(recorder.flush(), []);
});
