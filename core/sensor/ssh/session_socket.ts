import { Duplex } from "node:stream";
import type { SensorSession } from "../sensor_service.ts";

/**
 * A Node-style socket over a sensor session, for the SSH library: it reads
 * `head` (bytes the service already consumed while inspecting the client's
 * identification) and then the rest of the connection, shown to `tap` on
 * the way, and
 * writes through the session. The library's own first write, its
 * identification line, is dropped: the service sent the configured banner
 * before reading anything, as sshd does. Its second, the cleartext KEXINIT
 * packet, gets zero padding as sshd's has (the library pads with random
 * bytes; padding is in neither the exchange hash nor a MAC at this point).
 *
 * @example
 * ```ts
 * import type { SensorSession } from "../sensor_service.ts";
 * declare const session: SensorSession;
 * const socket = sessionSocket(session, new Uint8Array(), (chunk) => console.log(chunk.length));
 * ```
 */
export function sessionSocket(
  session: SensorSession,
  head: Uint8Array,
  tap: (chunk: Uint8Array) => void,
): Duplex {
  let wanted: (() => void) | undefined;
  let identDropped = false;
  let kexInitSent = false;
  const socket = new Duplex({
    // The peer's EOF ends the connection, as for a net.Socket the library expects.
    allowHalfOpen: false,
    read() {
      wanted?.();
      wanted = undefined;
    },
    write(chunk: Uint8Array, _encoding, callback) {
      if (!identDropped) {
        identDropped = true;
        if (chunk[0] === 0x53) return callback(); // "SSH-2.0-..."
      }
      if (!kexInitSent) {
        kexInitSent = true;
        chunk = zeroPadding(chunk);
      }
      session.write(chunk).then(() => callback(), (e) => callback(e));
    },
    final(callback) {
      callback();
      socket.destroy();
    },
  });
  Object.assign(socket, {
    remoteAddress: session.remote.ip,
    remotePort: session.remote.port,
    remoteFamily: session.remote.ip.includes(":") ? "IPv6" : "IPv4",
  });
  pump(socket, session, head, tap, (resume) => wanted = resume).catch((e) => socket.destroy(e));
  return socket;
}

async function pump(
  socket: Duplex,
  session: SensorSession,
  head: Uint8Array,
  tap: (chunk: Uint8Array) => void,
  onWanted: (resume: () => void) => void,
): Promise<void> {
  let more = socket.push(head);
  while (!socket.destroyed) {
    if (!more) await new Promise<void>((resume) => onWanted(resume));
    const chunk = await session.reader.readSome();
    if (socket.destroyed) return;
    if (chunk === null) {
      socket.push(null);
      return;
    }
    tap(chunk);
    more = socket.push(chunk);
  }
}

/** A copy of a cleartext binary packet with its padding zeroed. */
function zeroPadding(packet: Uint8Array): Uint8Array {
  if (packet.length < 5) return packet;
  const end = 4 + new DataView(packet.buffer, packet.byteOffset).getUint32(0);
  const padding = packet[4];
  if (end > packet.length || padding > end - 5) return packet;
  const copy = packet.slice();
  copy.fill(0, end - padding, end);
  return copy;
}
