import { Command, Option } from "commander";
import { alertChannelView } from "../core/alerts/alert_channel_view.ts";
import { ChannelConfigError, parseChannelConfig } from "../core/alerts/alert_channel.ts";
import { alertsWorker } from "../core/alerts/alerts_worker.ts";
import { testAlert } from "../core/alerts/test_alert.ts";
import { abortableSleep } from "../core/abortable_sleep.ts";
import { printLine } from "../core/log/mod.ts";
import { alertRulesCommand } from "./alert_rules_command.ts";
import { findAlertChannel } from "./find_alert_channel.ts";
import { withAlerts } from "./with_alerts.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { intOption } from "./parse_options.ts";
import { runStandalone } from "./run_standalone.ts";

async function readConfig(options: { config?: string; configFile?: string }): Promise<unknown> {
  if ((options.config === undefined) === (options.configFile === undefined)) {
    throw new CliError(
      "Give the channel settings with --config or --config-file (one of them)",
      EXIT_USAGE,
    );
  }
  const text = options.config ??
    (options.configFile === "-"
      ? await new Response(Deno.stdin.readable).text()
      : await Deno.readTextFile(options.configFile!));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(
      `Bad --config: expected a JSON object, ${(e as SyntaxError).message}`,
      EXIT_USAGE,
    );
  }
}

/** What a channel receives: rule hits always, and the feeds it takes. */
function channelFeeds(config: Record<string, unknown>): string[] {
  return [
    "rule hits",
    ...(config.event_stream === true ? ["the event stream"] : []),
    ...(config.audit_log === true ? ["the audit log"] : []),
  ];
}

/** `decnet alerts channels|rules|deliveries|run`. */
export function alertsCommand(): Command {
  const alerts = new Command("alerts").description(
    "Manage alert channels and rules, see deliveries, or run the alerts worker alone",
  );
  const channels = alerts.command("channels").description(
    "Where alerts go: syslog, smtp, webhook, file",
  );

  channels.command("list")
    .description("List channels (credentials left out), with failures and why one was disabled")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const items = await withAlerts(
        command,
        async ({ alerts }) =>
          (await alerts.listChannels()).map((c) => alertChannelView(c, "admin")),
      );
      if (options.json) return printLine(JSON.stringify({ items, total: items.length }));
      for (const c of items) {
        const state = c.enabled
          ? "enabled"
          : `disabled${c.disabled_reason ? `: ${c.disabled_reason}` : ""}`;
        const feeds = channelFeeds(c.config).slice(1);
        printLine(
          `${String(c.id).padEnd(4)} ${c.name.padEnd(20)} ${c.type.padEnd(8)} ${
            (c.destinations.join(",") || "-").padEnd(28)
          } ${state}${feeds.length ? ` (+ ${feeds.join(", ")})` : ""}`,
        );
      }
    });

  channels.command("add")
    .description(
      'Add a channel from its JSON settings, e.g. {"type":"webhook","url":"https://chat.lan/hook","secret":"..."} (keep secrets out of argv: --config-file - reads stdin)',
    )
    .argument("<name>", "channel name")
    .option("--config <json>", "the settings as JSON")
    .option("--config-file <path>", "read the settings from this file (- for stdin)")
    .option("--json", "print the channel as JSON")
    .action(
      async (
        name: string,
        options: { config?: string; configFile?: string; json?: boolean },
        command,
      ) => {
        if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
          throw new CliError(
            `Bad channel name "${name}": expected 1-64 letters, digits, '_', '.' or '-'`,
            EXIT_USAGE,
          );
        }
        let config;
        try {
          config = parseChannelConfig(await readConfig(options));
        } catch (e) {
          if (e instanceof ChannelConfigError) throw new CliError(e.message, EXIT_USAGE);
          throw e;
        }
        const view = await withAlerts(command, async ({ alerts, announce, audit }) => {
          if ((await alerts.listChannels()).some((c) => c.name === name)) {
            throw new CliError(`Alert channel already exists: ${name}`);
          }
          const created = await alerts.createChannel({
            name,
            kind: config.type,
            config: { ...config },
          });
          await audit({
            action: "alert_channel.created",
            target: name,
            outcome: "success",
            detail: { type: config.type },
          });
          await announce();
          return alertChannelView(created, "admin");
        });
        if (options.json) return printLine(JSON.stringify(view));
        printLine(`Added ${view.type} channel ${view.name} (id ${view.id})`);
      },
    );

  channels.command("remove")
    .description("Remove a channel and its undelivered alerts (not while a rule sends to it)")
    .argument("<channel>", "name or id")
    .action(async (ref: string, _options: unknown, command: Command) => {
      const name = await withAlerts(command, async ({ alerts, announce, audit }) => {
        const channel = await findAlertChannel(alerts, ref);
        const rules = await alerts.rulesUsingChannel(channel.id);
        if (rules.length) {
          throw new CliError(`Channel ${channel.name} is used by rules: ${rules.join(", ")}`);
        }
        await alerts.deleteChannel(channel.id);
        await audit({ action: "alert_channel.deleted", target: channel.name, outcome: "success" });
        await announce();
        return channel.name;
      });
      printLine(`Removed ${name}`);
    });

  for (const enabled of [true, false]) {
    channels.command(enabled ? "enable" : "disable")
      .description(
        enabled ? "Enable a channel (clears its failure count and reason)" : "Disable a channel",
      )
      .argument("<channel>", "name or id")
      .action(async (ref: string, _options: unknown, command: Command) => {
        const name = await withAlerts(command, async ({ alerts, announce, audit }) => {
          const channel = await findAlertChannel(alerts, ref);
          await alerts.updateChannel(channel.id, { enabled });
          await audit({
            action: "alert_channel.changed",
            target: channel.name,
            outcome: "success",
            detail: { enabled },
          });
          await announce();
          return channel.name;
        });
        printLine(`${enabled ? "Enabled" : "Disabled"} ${name}`);
      });
  }

  const onOff = (flag: string) =>
    new Option(`--${flag} <on|off>`, `take the ${flag.replace("-", " ")} (on) or not (off)`)
      .choices(["on", "off"]);
  channels.command("feeds")
    .description(
      "Besides rule hits, send a channel every stored event (event stream, e.g. for a SIEM) and/or every audit log entry",
    )
    .argument("<channel>", "name or id")
    .addOption(onOff("event-stream"))
    .addOption(onOff("audit-log"))
    .action(
      async (
        ref: string,
        options: { eventStream?: "on" | "off"; auditLog?: "on" | "off" },
        command: Command,
      ) => {
        if (options.eventStream === undefined && options.auditLog === undefined) {
          throw new CliError("Give --event-stream on|off and/or --audit-log on|off", EXIT_USAGE);
        }
        const view = await withAlerts(command, async ({ alerts, announce, audit }) => {
          const channel = await findAlertChannel(alerts, ref);
          const config = { ...channel.config };
          if (options.eventStream) config.event_stream = options.eventStream === "on";
          if (options.auditLog) config.audit_log = options.auditLog === "on";
          const updated = await alerts.updateChannel(channel.id, {
            config: { ...parseChannelConfig(config) },
          });
          await audit({
            action: "alert_channel.changed",
            target: channel.name,
            outcome: "success",
            detail: {
              event_stream: config.event_stream === true,
              audit_log: config.audit_log === true,
            },
          });
          await announce();
          return alertChannelView(updated!, "admin");
        });
        printLine(`${view.name} takes ${channelFeeds(view.config).join(", ")}`);
      },
    );

  channels.command("test")
    .description("Send a test alert through a channel and wait for the alerts worker to deliver it")
    .argument("<channel>", "name or id")
    .option(
      "--wait <seconds>",
      "give up waiting after this long (0: queue only)",
      intOption(0, 600),
      30,
    )
    .option("--json", "print the delivery as JSON")
    .action(async (ref: string, options: { wait: number; json?: boolean }, command: Command) => {
      const delivery = await withAlerts(command, async ({ alerts, announce }) => {
        const channel = await findAlertChannel(alerts, ref);
        if (!channel.enabled) {
          throw new CliError(`Channel ${channel.name} is disabled: enable it first`);
        }
        const alert = testAlert({
          channel: channel.name,
          by: "the CLI",
          now: new Date(),
          id: crypto.randomUUID(),
        });
        await alerts.commitAlerts({
          throttle: [],
          alerts: [{ alert_id: alert.id, channel_ids: [channel.id], payload: alert }],
        });
        await announce();
        const deadline = Date.now() + options.wait * 1000;
        const signal = AbortSignal.timeout(Math.max(1, options.wait * 1000));
        for (;;) {
          const [row] =
            (await alerts.listDeliveries({ alertId: alert.id, limit: 1, offset: 0 })).items;
          if (row.state !== "pending" || Date.now() >= deadline) return row;
          await abortableSleep(250, signal);
        }
      });
      if (options.json) printLine(JSON.stringify({ ...delivery, payload: undefined }));
      else {printLine(
          `Test alert ${delivery.alert_id}: ${delivery.state}${
            delivery.last_error ? ` (${delivery.last_error})` : ""
          }`,
        );}
      if (delivery.state === "failed") {
        throw new CliError(`Test alert not delivered: ${delivery.last_error}`);
      }
      if (delivery.state === "pending" && options.wait > 0) {
        throw new CliError(
          `Test alert still pending after ${options.wait} s${
            delivery.last_error ? `: ${delivery.last_error}` : " (is the alerts worker running?)"
          }`,
        );
      }
    });

  alerts.addCommand(alertRulesCommand());

  alerts.command("deliveries")
    .description(
      "The outbox, newest first: each alert per channel, its state, attempts and last error",
    )
    .addOption(
      new Option("--state <state>", "only this state").choices(["pending", "delivered", "failed"]),
    )
    .option("--limit <n>", "at most this many", intOption(1, 1000), 50)
    .option("--json", "print JSON")
    .action(
      async (
        options: { state?: "pending" | "delivered" | "failed"; limit: number; json?: boolean },
        command,
      ) => {
        const { items, total } = await withAlerts(
          command,
          ({ alerts }) =>
            alerts.listDeliveries({ state: options.state, limit: options.limit, offset: 0 }),
        );
        if (options.json) {
          return printLine(
            JSON.stringify({ items: items.map((d) => ({ ...d, payload: undefined })), total }),
          );
        }
        for (const d of items) {
          printLine(
            `${d.created_at} ${d.alert_id} channel ${d.channel_id} ${d.state} attempts ${d.attempts}${
              d.last_error ? ` ${d.last_error}` : ""
            }`,
          );
        }
      },
    );

  alerts.command("run")
    .description("Run the alerts worker alone (bus -> rules -> outbox -> channels)")
    .action(async (_options: unknown, command: Command) => {
      await runStandalone(alertsWorker, configFor(command));
    });
  return alerts;
}
