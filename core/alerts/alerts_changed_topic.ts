/**
 * Published (empty payload) when alert channels or rules change: the alerts
 * worker rereads its rules, and the supervisor re-spawns it when the
 * channels' destinations changed (its network permission is derived from them).
 */
export const ALERTS_CHANGED_TOPIC = "alerts.config.changed";
