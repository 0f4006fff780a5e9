import { imapService } from "./imap/imap_service.ts";
import { pop3Service } from "./pop3/pop3_service.ts";
import { ftpService } from "./ftp/ftp_service.ts";
import { httpService } from "./http/http_service.ts";
import { mysqlService } from "./mysql/mysql_service.ts";
import { rdpService } from "./rdp/rdp_service.ts";
import { telnetService } from "./telnet/telnet_service.ts";
import type { SensorServiceName } from "./sensor_event.ts";
import type { SensorService } from "./sensor_service.ts";
import { smbService } from "./smb/smb_service.ts";
import { sshService } from "./ssh/mod.ts";

/**
 * The decoy protocols this build serves, by name. A name absent here is not
 * offered: the fleet file then needs an operator image for that service.
 */
export const SENSOR_REGISTRY: Readonly<Partial<Record<SensorServiceName, SensorService>>> = Object
  .freeze({
    ftp: ftpService,
    http: httpService,
    mysql: mysqlService,
    telnet: telnetService,
    smb: smbService,
    imap: imapService,
    pop3: pop3Service,
    ssh: sshService,
    rdp: rdpService,
  });
