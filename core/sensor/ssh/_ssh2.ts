// The SSH library and its type definitions (ssh2 ships none of its own).
import type { Buffer } from "node:buffer";
import type { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
// @ts-types="@types/ssh2"
import ssh2 from "ssh2";
import type { Connection, ParsedKey } from "ssh2";
// @ts-types="@types/ssh2"
export type {
  AuthContext,
  AuthenticationType,
  ClientChannel,
  Connection,
  ParsedKey,
  PseudoTtyInfo,
  ServerChannel,
  Session,
} from "ssh2";

export const { Client, utils } = ssh2;

/** A KEXINIT offer: algorithm lists per direction (the library appends kex-strict-s). */
export interface KexOffer {
  kex: string[];
  serverHostKey: string[];
  cs: { cipher: string[]; mac: string[]; compress: string[]; lang: string[] };
  sc: { cipher: string[]; mac: string[]; compress: string[]; lang: string[] };
}

/**
 * The library's server side of one connection, constructed directly rather
 * than through its Server so the host key list is exactly the one given
 * (its Server adds ssh-rsa for an RSA key, which OpenSSH 9 no longer offers).
 * It reports itself by emitting `connection` on `events` once the client's
 * identification is parsed.
 */
export const IncomingClient = (ssh2.Server as unknown as {
  IncomingClient: new (
    socket: Duplex,
    hostKeys: Record<string, ParsedKey>,
    ident: Buffer,
    offer: KexOffer,
    debug: undefined,
    events: EventEmitter,
    config: Record<string, never>,
  ) => Connection;
}).IncomingClient;

// sshd sends no keepalives (ClientAliveInterval 0); the library's default is one every 15 s.
(ssh2.Server as unknown as { KEEPALIVE_CLIENT_INTERVAL: number }).KEEPALIVE_CLIENT_INTERVAL = 0;
