/** SMB2 command codes this folder answers. */
export const SMB2_COMMAND = Object.freeze({
  negotiate: 0x0000,
  sessionSetup: 0x0001,
  logoff: 0x0002,
  echo: 0x000d,
});

/** NTSTATUS values the sensor answers with. */
export const NT_STATUS = Object.freeze({
  success: 0x00000000,
  moreProcessingRequired: 0xc0000016,
  invalidParameter: 0xc000000d,
  accessDenied: 0xc0000022,
  logonFailure: 0xc000006d,
  userSessionDeleted: 0xc0000203,
  notSupported: 0xc00000bb,
});

/** The fields of an SMB2 header a response echoes or depends on. */
export interface Smb2Header {
  command: number;
  creditCharge: number;
  creditRequest: number;
  flags: number;
  messageId: bigint;
  processId: number;
  treeId: number;
  sessionId: bigint;
}

/** Size of the fixed SMB2 header. */
export const SMB2_HEADER_SIZE = 64;

/** The header of an SMB2 request, or undefined when `bytes` is not one. */
export function parseSmb2Header(bytes: Uint8Array): Smb2Header | undefined {
  if (bytes.length < SMB2_HEADER_SIZE) return undefined;
  if (bytes[0] !== 0xfe || bytes[1] !== 0x53 || bytes[2] !== 0x4d || bytes[3] !== 0x42) {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(4, true) !== SMB2_HEADER_SIZE) return undefined;
  return {
    creditCharge: view.getUint16(6, true),
    command: view.getUint16(12, true),
    creditRequest: view.getUint16(14, true),
    flags: view.getUint32(16, true),
    messageId: view.getBigUint64(24, true),
    processId: view.getUint32(32, true),
    treeId: view.getUint32(36, true),
    sessionId: view.getBigUint64(40, true),
  };
}

/** What a response header carries beside what it echoes from the request. */
export interface Smb2ResponseFields {
  status: number;
  credits: number;
  sessionId: bigint;
}

/** An SMB2 response: header answering `request`, then `body`. */
export function smb2Response(
  request: Smb2Header,
  fields: Smb2ResponseFields,
  body: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(SMB2_HEADER_SIZE + body.length);
  const view = new DataView(out.buffer);
  out.set([0xfe, 0x53, 0x4d, 0x42]);
  view.setUint16(4, SMB2_HEADER_SIZE, true);
  view.setUint16(6, request.creditCharge, true);
  view.setUint32(8, fields.status, true);
  view.setUint16(12, request.command, true);
  view.setUint16(14, fields.credits, true);
  // SERVER_TO_REDIR, with the request's priority bits echoed as Samba does.
  view.setUint32(16, 0x00000001 | (request.flags & 0x70), true);
  view.setBigUint64(24, request.messageId, true);
  view.setUint32(32, request.processId, true);
  view.setUint32(36, request.treeId, true);
  view.setBigUint64(40, fields.sessionId, true);
  out.set(body, SMB2_HEADER_SIZE);
  return out;
}

/** The body of an SMB2 ERROR response (no error data). */
export function smb2ErrorBody(): Uint8Array {
  return Uint8Array.of(9, 0, 0, 0, 0, 0, 0, 0, 0);
}

/** A message framed for direct TCP (port 445): zero byte, 24-bit length. */
export function netbiosFrame(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + message.length);
  out[1] = (message.length >> 16) & 0xff;
  out[2] = (message.length >> 8) & 0xff;
  out[3] = message.length & 0xff;
  out.set(message, 4);
  return out;
}

/** FILETIME (100 ns ticks since 1601) of a date. */
export function fileTime(date: Date): bigint {
  return (BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n;
}
