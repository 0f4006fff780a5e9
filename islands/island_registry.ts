import { AlertChannels } from "./alert_channels.tsx";
import { AlertRules } from "./alert_rules.tsx";
import { BlobUpload } from "./blob_upload.tsx";
import { CreateTokenForm } from "./create_token_form.tsx";
import { EventTable } from "./event_table.tsx";
import { FleetTable } from "./fleet_table.tsx";
import { LiveAttackers } from "./live_attackers.tsx";
import { LiveCampaign } from "./live_campaign.tsx";
import { LiveLogs } from "./live_logs.tsx";
import { LiveTriggers } from "./live_triggers.tsx";
import { PersonaEditor } from "./persona_editor.tsx";
import { RealismConfigForm } from "./realism_config_form.tsx";
import { TokenActions } from "./token_actions.tsx";
import { WorkerTable } from "./worker_table.tsx";

/**
 * Every island by name: the server renders them inside
 * `<div data-island="Name">` and the browser bundle hydrates them from the
 * same table.
 */
export const ISLANDS = {
  AlertChannels,
  AlertRules,
  BlobUpload,
  CreateTokenForm,
  EventTable,
  FleetTable,
  LiveAttackers,
  LiveCampaign,
  LiveLogs,
  LiveTriggers,
  PersonaEditor,
  RealismConfigForm,
  TokenActions,
  WorkerTable,
} as const;

/** Name of a registered island. */
export type IslandName = keyof typeof ISLANDS;
