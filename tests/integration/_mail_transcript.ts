import { ConnReader } from "../../core/sensor/conn_reader.ts";

/** One step of a scripted mail session: what to send and when its answer is complete. */
export interface MailStep {
  send: string;
  /** True once the bytes received since `send` are the whole answer. */
  done(received: string): boolean;
}

/**
 * An IMAP command: complete at its tagged reply, a continuation request,
 * or a BYE. A line that continues a command (`DONE`, a SASL response, the
 * rest after a literal) completes at any tagged reply.
 */
export function imapStep(line: string): MailStep {
  const continues = !line.includes(" ") || /\{\d+\+?\}$/.test(line) && !/^\S+ [A-Z]+ \{/.test(line);
  const tag = continues
    ? "[^*+\\r\\n ]+"
    : line.split(" ")[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const tagged = new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n$`);
  return {
    send: `${line}\r\n`,
    done: (r) =>
      tagged.test(r) || /(^|\r\n)\* BYE [^\r]*\r\n$/.test(r) || /^\+ [^\r\n]*\r\n$/.test(r),
  };
}

/** A POP3 command: one line, or a dot-terminated block after a +OK for a listing. */
export function pop3Step(line: string): MailStep {
  const multi = /^(CAPA|LIST|UIDL|AUTH)$|^(RETR|TOP) /i.test(line);
  return {
    send: `${line}\r\n`,
    done: (r) => {
      if (!r.endsWith("\r\n")) return false;
      if (!r.startsWith("+OK") || !multi) return true;
      return r.endsWith("\r\n.\r\n");
    },
  };
}

/**
 * Plays steps against a mail server and returns everything exchanged, the
 * client's lines prefixed with `C: `, the server's bytes verbatim; stops
 * when the server closes. Reads until each step's answer is complete, so
 * the transcript never depends on timing.
 */
export async function mailTranscript(port: number, steps: readonly MailStep[]): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const reader = new ConnReader(conn);
  try {
    let out = (await reader.readLine(65536)) + "\r\n";
    for (const step of steps) {
      out += `C: ${step.send}`;
      try {
        await conn.write(new TextEncoder().encode(step.send));
      } catch (e) {
        if (e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.ConnectionReset) break;
        throw e;
      }
      let received = "";
      while (!step.done(received)) {
        const chunk = await reader.readSome().catch(() => null);
        if (chunk === null) return out + received;
        received += String.fromCharCode(...chunk);
      }
      out += received;
    }
    return out;
  } finally {
    conn.close();
  }
}
