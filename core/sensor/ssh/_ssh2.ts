// The SSH library (npm ssh2, which ships no types) behind the few shapes the
// sensor uses. Not @types/ssh2: it pulls @types/node 18 into the whole
// project's type check, hiding Deno's own node: types.
import type { Buffer } from "node:buffer";
import type { EventEmitter } from "node:events";
import type { Duplex, Readable, Writable } from "node:stream";
import ssh2 from "ssh2";

/** Terminal size and type from a pty-req (what the library parses). */
export interface PseudoTtyInfo {
  rows: number;
  cols: number;
  width: number;
  height: number;
  term?: string;
  modes?: Record<string, number>;
}

/** A key the library parsed; `type` is its SSH name (`ssh-rsa`, `ssh-ed25519`...). */
export interface ParsedKey {
  type: string;
}

/** One authentication request of a client. */
export type AuthContext =
  & {
    username: string;
    accept(): void;
    reject(methods?: string[]): void;
  }
  & (
    | { method: "password"; password: string }
    | { method: "publickey"; key: { algo: string; data: Uint8Array }; signature?: Uint8Array }
    | { method: "none" | "keyboard-interactive" | "hostbased" }
  );

/** The server side of a session channel's data stream. */
export interface ServerChannel extends Duplex {
  stderr: Writable;
  exit(code: number): void;
  exit(signal: string, coreDumped: boolean, message: string): void;
  close(): void;
}

/** The client side of a session channel's data stream. */
export interface ClientChannel extends Duplex {
  stderr: Readable;
  setWindow(rows: number, cols: number, height: number, width: number): void;
  signal(name: string): void;
  close(): void;
}

type Reply = (() => void) | undefined;

/** A session channel a client opened, before its shell/exec/subsystem starts. */
export interface Session {
  on(event: "pty", listener: (accept: Reply, reject: Reply, info: PseudoTtyInfo) => void): this;
  on(
    event: "env",
    listener: (accept: Reply, reject: Reply, info: { key: string; val: string }) => void,
  ): this;
  on(
    event: "window-change",
    listener: (accept: Reply, reject: Reply, info: PseudoTtyInfo) => void,
  ): this;
  on(
    event: "signal",
    listener: (accept: Reply, reject: Reply, info: { name: string }) => void,
  ): this;
  on(event: "shell", listener: (accept: () => ServerChannel, reject: Reply) => void): this;
  on(
    event: "exec",
    listener: (accept: () => ServerChannel, reject: Reply, info: { command: string }) => void,
  ): this;
  on(
    event: "subsystem",
    listener: (accept: () => ServerChannel, reject: Reply, info: { name: string }) => void,
  ): this;
}

/** A client connected to the sensor, as the library's server side sees it. */
export interface Connection {
  on(event: "authentication", listener: (ctx: AuthContext) => void): this;
  on(event: "session", listener: (accept: () => Session) => void): this;
  on(event: "error", listener: (error: Error) => void): this;
  on(event: "close" | "ready", listener: () => void): this;
  end(): this;
}

type ChannelCallback = (error: Error | undefined, channel: ClientChannel) => void;

/** The sensor's own connection to the decky's sshd. */
export interface UpstreamClient {
  connect(config: {
    host: string;
    port: number;
    username: string;
    privateKey: string;
    readyTimeout: number;
  }): this;
  on(event: "error", listener: (error: Error) => void): this;
  on(event: "close" | "ready", listener: () => void): this;
  once(event: "close" | "ready", listener: () => void): this;
  exec(
    command: string,
    options: { pty: PseudoTtyInfo | false; env: Record<string, string> },
    callback: ChannelCallback,
  ): this;
  shell(
    window: PseudoTtyInfo | false,
    options: { env: Record<string, string> },
    callback: ChannelCallback,
  ): this;
  subsys(name: string, callback: ChannelCallback): this;
  end(): this;
}

/** A KEXINIT offer: algorithm lists per direction (the library appends kex-strict-s). */
export interface KexOffer {
  kex: string[];
  serverHostKey: string[];
  cs: { cipher: string[]; mac: string[]; compress: string[]; lang: string[] };
  sc: { cipher: string[]; mac: string[]; compress: string[]; lang: string[] };
}

interface Ssh2Module {
  Client: new () => UpstreamClient;
  Server: {
    KEEPALIVE_CLIENT_INTERVAL: number;
    IncomingClient: new (
      socket: Duplex,
      hostKeys: Record<string, ParsedKey>,
      ident: Buffer,
      offer: KexOffer,
      debug: undefined,
      events: EventEmitter,
      config: Record<string, never>,
    ) => Connection;
  };
  utils: {
    generateKeyPairSync(type: "rsa" | "ecdsa" | "ed25519", options?: { bits: number }): {
      private: string;
    };
    parseKey(data: string): ParsedKey | ParsedKey[] | Error;
  };
}

const lib = ssh2 as unknown as Ssh2Module;

export const { Client, utils } = lib;

/**
 * The library's server side of one connection, constructed directly rather
 * than through its Server so the host key list is exactly the one given
 * (its Server adds ssh-rsa for an RSA key, which OpenSSH 9 no longer offers).
 * It reports itself by emitting `connection` on `events` once the client's
 * identification is parsed.
 */
export const IncomingClient = lib.Server.IncomingClient;

// sshd sends no keepalives (ClientAliveInterval 0); the library's default is one every 15 s.
lib.Server.KEEPALIVE_CLIENT_INTERVAL = 0;
