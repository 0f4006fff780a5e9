/**
 * The only code that runs in the browser: small Preact components the
 * server renders into pages and the bundle (`islands/main.tsx`, built by
 * `deno task assets`) hydrates. Islands talk to the API over HTTP and SSE.
 *
 * @module
 */
export { ISLANDS } from "./island_registry.ts";
export type { IslandName } from "./island_registry.ts";
export { ISLAND_ATTR, ISLAND_ROOT_ATTR } from "./island_markup.ts";
export type { WorkerTableProps } from "./worker_table.tsx";
export { apiErrorText } from "./api_error_text.ts";
export { formatAge } from "./format_age.ts";
export { formatTime } from "./format_time.ts";
export type { LiveTriggersProps } from "./live_triggers.tsx";
export { mergeTrigger } from "./merge_trigger.ts";
export { triggerDetail } from "./trigger_detail.ts";
export type { FleetTableProps } from "./fleet_table.tsx";
export type { ActivityRow, EventTableProps } from "./event_table.tsx";
export type { PersonaEditorProps } from "./persona_editor.tsx";
export type { ClassInfo, RealismConfigFormProps } from "./realism_config_form.tsx";
export { cleanPersonaDraft, personaDraftErrors } from "./persona_draft_errors.ts";
export { realismFormErrors, realismFormSettings } from "./realism_form_errors.ts";
export type { RealismForm, RealismFormSettings } from "./realism_form_errors.ts";
export type { CreateTokenFormProps } from "./create_token_form.tsx";
export type { TokenActionsProps } from "./token_actions.tsx";
export { DataTable } from "./data_table.tsx";
export { ServiceEventTable } from "./service_event_table.tsx";
export type { LiveLogsProps } from "./live_logs.tsx";
export { AttackerTable } from "./live_attackers.tsx";
export type { LiveAttackersProps } from "./live_attackers.tsx";
export type { DataTableProps } from "./data_table.tsx";
export type { LiveCampaignProps } from "./live_campaign.tsx";
