/** What one chunk of shell input completed. */
export interface ShellRecord {
  /** Command lines ended by CR or LF in this chunk, as the user edited them. */
  lines: string[];
  /** Raw input batches ready to record (flushed at line ends and at 256 bytes). */
  keystrokes: string[];
}

const BATCH = 256;

/**
 * Splits what a user types into a shell into command lines (applying
 * backspace and dropping terminal escape sequences, so `lss<DEL>` is `ls`)
 * and raw keystroke batches (every byte, latin1), for `command` events.
 *
 * @example
 * ```ts
 * const recorder = new ShellRecorder();
 * recorder.feed(new TextEncoder().encode("id\r")); // { lines: ["id"], keystrokes: ["id\r"] }
 * ```
 */
export class ShellRecorder {
  #line = "";
  #batch = "";
  #escape = false;

  /** Takes the next chunk of input. */
  feed(bytes: Uint8Array): ShellRecord {
    const record: ShellRecord = { lines: [], keystrokes: [] };
    for (const byte of bytes) {
      this.#batch += String.fromCharCode(byte);
      if (this.#escape) {
        // CSI/SS3 sequences end at a letter or "~" (arrow keys, Home, F-keys).
        if (byte >= 0x40 && byte <= 0x7e && byte !== 0x5b && byte !== 0x4f) {
          this.#escape = false;
        }
      } else if (byte === 0x1b) {
        this.#escape = true;
      } else if (byte === 0x0d || byte === 0x0a) {
        if (this.#line.trim() !== "") record.lines.push(this.#line);
        this.#line = "";
        record.keystrokes.push(this.#batch);
        this.#batch = "";
        continue;
      } else if (byte === 0x7f || byte === 0x08) {
        this.#line = this.#line.slice(0, -1);
      } else if (byte === 0x15) {
        this.#line = ""; // ^U kills the line
      } else if (byte >= 0x20) {
        this.#line += String.fromCharCode(byte);
      }
      if (this.#batch.length >= BATCH) {
        record.keystrokes.push(this.#batch);
        this.#batch = "";
      }
    }
    return record;
  }

  /** Input still unrecorded when the channel closes: the unfinished batch. */
  flush(): string[] {
    const rest = this.#batch;
    this.#batch = "";
    return rest === "" ? [] : [rest];
  }
}
