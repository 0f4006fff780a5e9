/**
 * NTLMSSP for decoy services (SMB, HTTP NTLM, RDP): parse what the client
 * sends, answer with a challenge like Samba's, and turn the client's answer
 * into the line hashcat cracks (NetNTLMv1 mode 5500, NetNTLMv2 mode 5600).
 *
 * @module
 */
export { buildChallenge } from "./build_challenge.ts";
export type { BuildChallengeOptions } from "./build_challenge.ts";
export { hashcatLine } from "./hashcat_line.ts";
export type { NtlmHash } from "./hashcat_line.ts";
export { ntlmServerNames } from "./ntlm_server_names.ts";
export type { NtlmServerNames } from "./ntlm_server_names.ts";
export { NtlmParseError } from "./ntlm_parse_error.ts";
export { parseNtlmMessage } from "./parse_ntlm_message.ts";
export { NEG_STATE, ntlmFromBlob, spnegoResponse, spnegoServerInit } from "./spnego.ts";
export type { NtlmInBlob } from "./spnego.ts";
export type { NtlmAuthenticate, NtlmMessage, NtlmNegotiate } from "./parse_ntlm_message.ts";
