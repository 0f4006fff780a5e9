import { ConnReader } from "../../../../core/sensor/conn_reader.ts";

const fixtures = new URL("../../../testdata/smb/", import.meta.url);

/** Client messages captured from a real client (hex lines, NetBIOS-framed). */
export function clientMessages(name: string): Uint8Array[] {
  return Deno.readTextFileSync(new URL(name, fixtures)).trim().split("\n").map(unhex);
}

/**
 * Sends each framed message in turn and collects each answer (without its
 * NetBIOS header); stops early when the server closes.
 */
export async function exchange(port: number, messages: Uint8Array[]): Promise<Uint8Array[]> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const reader = new ConnReader(conn);
  const answers: Uint8Array[] = [];
  try {
    for (const message of messages) {
      await conn.write(message);
      const head = await reader.readExact(4);
      if (!head) break;
      const body = await reader.readExact((head[1] << 16) | (head[2] << 8) | head[3]);
      if (!body) break;
      answers.push(body);
    }
  } finally {
    conn.close();
  }
  return answers;
}

/**
 * Whether the server closes the connection after these messages (reads to
 * EOF); with `hangUp` the client half-closes first, so a server still waiting
 * for the rest of a message sees the end too.
 */
export async function closesAfter(
  port: number,
  messages: Uint8Array[],
  hangUp = false,
): Promise<boolean> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    for (const message of messages) await conn.write(message);
    if (hangUp) await conn.closeWrite();
    const buffer = new Uint8Array(4096);
    while (await conn.read(buffer) !== null) { /* drain until the server closes */ }
    return true;
  } finally {
    conn.close();
  }
}

function unhex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));
}
