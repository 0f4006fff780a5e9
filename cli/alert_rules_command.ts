import { Command, Option } from "commander";
import { ALERT_SEVERITIES } from "../core/alerts/alert.ts";
import { DEDUPE_FIELDS } from "../core/alerts/alert_event.ts";
import { parseAlertRuleInput, RULE_EVENT_KINDS } from "../core/alerts/alert_rule.ts";
import { parseDurationSeconds } from "../core/config/value_parsers.ts";
import { printLine } from "../core/log/mod.ts";
import { findAlertChannel } from "./find_alert_channel.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { listOption, ruleOption } from "./parse_options.ts";
import { withAlerts } from "./with_alerts.ts";

const duration = ruleOption((raw) => parseDurationSeconds(raw, 0, 86_400));

interface AddRuleOptions {
  events: string[];
  channels: string;
  severity?: string;
  throttle?: number;
  dedupe?: string;
  digest?: number;
  token?: string;
  decky?: string;
  kind?: string;
  disabled?: boolean;
  json?: boolean;
}

/** `decnet alerts rules list|add|remove`. */
export function alertRulesCommand(): Command {
  const rules = new Command("rules").description(
    "When alerts fire: events, filters, severity, throttling, digest and channels",
  );

  rules.command("list")
    .description("List rules")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const items = await withAlerts(command, ({ alerts }) => alerts.listRules());
      if (options.json) return printLine(JSON.stringify({ items, total: items.length }));
      for (const r of items) {
        const pace = r.digest_seconds > 0
          ? `digest ${r.digest_seconds}s`
          : `throttle ${r.throttle_seconds}s by ${r.dedupe_by.join(",") || "rule"}`;
        printLine(
          `${String(r.id).padEnd(4)} ${r.name.padEnd(20)} ${r.severity.padEnd(8)} ${
            r.events.join(",")
          } -> channels ${r.channel_ids.join(",")}; ${pace}${r.enabled ? "" : " (disabled)"}`,
        );
      }
    });

  rules.command("add")
    .description("Add a rule")
    .argument("<name>", "rule name")
    .requiredOption(
      "--events <list>",
      `comma list of ${RULE_EVENT_KINDS.join(", ")}`,
      listOption(RULE_EVENT_KINDS),
    )
    .requiredOption("--channels <list>", "comma list of channel names or ids")
    .addOption(
      new Option("--severity <level>", "alert severity (default high)").choices(ALERT_SEVERITIES),
    )
    .option(
      "--throttle <duration>",
      "one alert per dedupe key per this long, e.g. 10m; 0 sends all (default 10m)",
      duration,
    )
    .option(
      "--dedupe <fields>",
      `dedupe key fields, comma list of ${DEDUPE_FIELDS.join(", ")} (default token,source)`,
    )
    .option(
      "--digest <duration>",
      "send one digest per this long instead of single alerts, e.g. 1h",
      duration,
    )
    .option("--token <uuid>", "only this canary token")
    .option("--decky <name>", "only this decky")
    .option("--kind <kind>", "only this token kind or sensor service")
    .option("--disabled", "add it disabled")
    .option("--json", "print the rule as JSON")
    .action(async (name: string, options: AddRuleOptions, command: Command) => {
      const rule = await withAlerts(command, async ({ alerts, announce, audit }) => {
        const channelIds: number[] = [];
        for (const ref of options.channels.split(",").map((s) => s.trim()).filter(Boolean)) {
          channelIds.push((await findAlertChannel(alerts, ref)).id);
        }
        let input;
        try {
          input = parseAlertRuleInput({
            name,
            events: options.events,
            channel_ids: channelIds,
            ...(options.severity ? { severity: options.severity } : {}),
            ...(options.throttle !== undefined
              ? { throttle_seconds: Math.round(options.throttle) }
              : {}),
            ...(options.dedupe !== undefined
              ? { dedupe_by: options.dedupe.split(",").filter(Boolean) }
              : {}),
            ...(options.digest !== undefined ? { digest_seconds: Math.round(options.digest) } : {}),
            filter_token: options.token ?? null,
            filter_decky: options.decky ?? null,
            filter_kind: options.kind ?? null,
            enabled: !options.disabled,
          });
        } catch (e) {
          if (e instanceof TypeError) throw new CliError(e.message, EXIT_USAGE);
          throw e;
        }
        if ((await alerts.listRules()).some((r) => r.name === name)) {
          throw new CliError(`Alert rule already exists: ${name}`);
        }
        const created = await alerts.createRule(input);
        await audit({
          action: "alert_rule.created",
          target: created.name,
          outcome: "success",
          detail: { events: created.events },
        });
        await announce();
        return created;
      });
      if (options.json) return printLine(JSON.stringify(rule));
      printLine(`Added rule ${rule.name} (id ${rule.id})`);
    });

  rules.command("remove")
    .description("Remove a rule")
    .argument("<rule>", "name or id")
    .action(async (ref: string, _options: unknown, command: Command) => {
      const name = await withAlerts(command, async ({ alerts, announce, audit }) => {
        const rule = (await alerts.listRules()).find((r) => r.name === ref || String(r.id) === ref);
        if (!rule) throw new CliError(`No such alert rule: ${ref}`);
        await alerts.deleteRule(rule.id);
        await audit({ action: "alert_rule.deleted", target: rule.name, outcome: "success" });
        await announce();
        return rule.name;
      });
      printLine(`Removed ${name}`);
    });
  return rules;
}
