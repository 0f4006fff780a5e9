import net from "node:net";
import tls from "node:tls";
import { ConnReader } from "../../../../core/sensor/conn_reader.ts";

/** X.224 Connection Request bytes: optional cookie line, optional RDP_NEG_REQ. */
export function connectionRequest(
  options: { cookie?: string; protocols?: number; flags?: number } = {},
): Uint8Array {
  const cookie = options.cookie === undefined
    ? []
    : Array.from(`${options.cookie}\r\n`, (c) => c.charCodeAt(0));
  const negotiation = options.protocols === undefined
    ? []
    : [1, options.flags ?? 0, 8, 0, ...le32(options.protocols)];
  const length = 11 + cookie.length + negotiation.length;
  return Uint8Array.of(
    3,
    0,
    length >> 8,
    length & 0xff,
    length - 5,
    0xe0,
    0,
    0,
    0,
    0,
    0,
    ...cookie,
    ...negotiation,
  );
}

function le32(n: number): number[] {
  return [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
}

/** A node socket as a byte source, so ConnReader can frame what arrives. */
class SocketSource {
  #chunks: Uint8Array[] = [];
  #ended = false;
  #wake: (() => void) | undefined;
  constructor(socket: net.Socket | tls.TLSSocket) {
    socket.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(new Uint8Array(chunk));
      this.#wake?.();
    });
    const end = () => {
      this.#ended = true;
      this.#wake?.();
    };
    socket.on("end", end);
    socket.on("close", end);
    socket.on("error", end);
  }
  async read(buffer: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#ended) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
      this.#wake = undefined;
    }
    const chunk = this.#chunks[0];
    const n = Math.min(chunk.length, buffer.length);
    buffer.set(chunk.subarray(0, n));
    if (n === chunk.length) this.#chunks.shift();
    else this.#chunks[0] = chunk.subarray(n);
    return n;
  }
}

/** A client at the X.224 stage: the server's Connection Confirm, then TLS on demand. */
export interface RdpClient {
  confirm: Uint8Array;
  /** Reads one more TPKT, or null when the server closes. */
  nextTpkt(): Promise<Uint8Array | null>;
  /** TLS over the same connection (certificate not checked, as `/cert:ignore`). */
  startTls(): Promise<CredsspClient>;
  close(): void;
}

/** CredSSP over TLS: send a TSRequest, read the answer. */
export interface CredsspClient {
  /** The server certificate (DER). */
  certificate: Uint8Array;
  /** Sends bytes; the answer is one DER element, or null when the server ends the connection. */
  exchange(bytes: Uint8Array): Promise<Uint8Array | null>;
  /** Sends bytes, ends its side of TLS and reads whatever comes until the server closes. */
  finish(bytes: Uint8Array): Promise<Uint8Array>;
  close(): void;
}

/** Connects, sends the Connection Request and reads the Connection Confirm. */
export async function rdpConnect(port: number, request: Uint8Array): Promise<RdpClient> {
  const socket = net.connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const source = new SocketSource(socket);
  const reader = new ConnReader(source);
  const nextTpkt = async () => {
    const head = await reader.readExact(4);
    if (!head) return null;
    const body = await reader.readExact(((head[2] << 8) | head[3]) - 4);
    return body && Uint8Array.from([...head, ...body]);
  };
  socket.write(request);
  const confirm = await nextTpkt();
  if (!confirm) throw new Error("server closed before the Connection Confirm");
  return {
    confirm,
    nextTpkt,
    async startTls() {
      socket.removeAllListeners("data");
      const secure = tls.connect({ socket, rejectUnauthorized: false });
      await new Promise<void>((resolve, reject) => {
        secure.once("secureConnect", resolve);
        secure.once("error", reject);
      });
      const tlsReader = new ConnReader(new SocketSource(secure));
      return {
        certificate: new Uint8Array(secure.getPeerCertificate().raw),
        async exchange(bytes) {
          secure.write(bytes);
          const head = await tlsReader.readExact(2);
          if (!head) return null;
          let length = head[1];
          let lengthBytes: number[] = [];
          if (length & 0x80) {
            lengthBytes = [...(await tlsReader.readExact(length & 0x7f))!];
            length = lengthBytes.reduce((n, b) => n * 256 + b, 0);
          }
          const body = await tlsReader.readExact(length);
          return body && Uint8Array.from([...head, ...lengthBytes, ...body]);
        },
        async finish(bytes) {
          secure.end(bytes);
          const rest: number[] = [];
          for (let chunk = await tlsReader.readSome(); chunk; chunk = await tlsReader.readSome()) {
            rest.push(...chunk);
          }
          return Uint8Array.from(rest);
        },
        close: () => secure.destroy(),
      };
    },
    close: () => socket.destroy(),
  };
}
