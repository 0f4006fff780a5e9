/**
 * Samba's answer to an SMB1 NEGOTIATE naming no SMB2 dialect: an SMB1
 * response choosing no dialect (index 0xffff), the request's ids echoed;
 * Samba then closes the connection.
 */
export function smb1Refusal(request: Uint8Array): Uint8Array {
  const out = new Uint8Array(32 + 3 + 2);
  out.set(request.subarray(0, 32));
  out.fill(0, 5, 9); // status
  out[9] = 0x80 | (request[9] & 0x08); // REPLY, and the request's CASELESS_PATHNAMES
  // The request's UNICODE bit, then LONG_NAMES | EAS | NT_STATUS.
  const flags2 = (request[11] & 0x80) << 8 | 0x4003;
  out[10] = flags2 & 0xff;
  out[11] = flags2 >> 8;
  out.fill(0, 14, 22); // security features
  out[32] = 1; // WordCount
  out[33] = 0xff; // DialectIndex: none
  out[34] = 0xff;
  return out;
}
