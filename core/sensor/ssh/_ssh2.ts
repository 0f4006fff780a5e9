// The SSH library and its type definitions (ssh2 ships none of its own).
// @ts-types="@types/ssh2"
import ssh2 from "ssh2";
// @ts-types="@types/ssh2"
export type {
  AuthContext,
  AuthenticationType,
  ClientChannel,
  Connection,
  PseudoTtyInfo,
  ServerChannel,
  Session,
} from "ssh2";

export const { Client, Server, utils } = ssh2;
