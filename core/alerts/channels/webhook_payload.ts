import type { Alert, AlertSeverity } from "../alert.ts";
import type { WebhookChannelConfig } from "../alert_channel.ts";
import { printable } from "./_printable.ts";
import { type AlertLine, alertLines } from "./alert_lines.ts";

/** Attachment colour bar per severity (Slack, Mattermost). */
const SEVERITY_COLOR: Readonly<Record<AlertSeverity, string>> = Object.freeze({
  info: "#439FE0",
  low: "#2EB886",
  medium: "#DAA038",
  high: "#E8590C",
  critical: "#D00000",
});

/**
 * The JSON body of a webhook request for the channel's format (the alert
 * already masked):
 * - `json`: the alert itself;
 * - `slack`: Block Kit (`text` fallback, header, summary, a field list, the
 *   dashboard link) as Slack incoming webhooks and Slack-compatible
 *   receivers take it;
 * - `mattermost`: markdown `text` plus one attachment with fields, as
 *   Mattermost incoming webhooks take it;
 * - `teams`: a `message` with an Adaptive Card (1.4: title, summary, FactSet,
 *   an Open-in-dashboard action), as Teams Workflows webhooks take it.
 * In chat shapes, values the attacker chose are shown as code (or escaped),
 * so a user agent cannot mention `@channel`, post a link or format the message.
 *
 * @example
 * ```ts
 * import { webhookPayload } from "./webhook_payload.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * JSON.stringify(webhookPayload(alert, "slack"));
 * ```
 */
export function webhookPayload(alert: Alert, format: WebhookChannelConfig["format"]): unknown {
  switch (format) {
    case "json":
      return alert;
    case "slack":
      return slackPayload(alert);
    case "mattermost":
      return mattermostPayload(alert);
    case "teams":
      return teamsPayload(alert);
  }
}

function slackPayload(alert: Alert): unknown {
  const fields = alertLines(alert).map((line) => `*${line.label}:* ${slackValue(line)}`);
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: clip(printable(alert.title), 150) } },
    { type: "section", text: { type: "mrkdwn", text: clip(slackEscape(alert.summary), 3000) } },
    { type: "section", text: { type: "mrkdwn", text: clip(fields.join("\n"), 3000) } },
  ];
  if (alert.dashboard_url) {
    blocks.push({
      type: "actions",
      elements: [{
        type: "button",
        text: { type: "plain_text", text: "Open in dashboard" },
        url: alert.dashboard_url,
      }],
    });
  }
  return { text: clip(printable(alert.title), 3000), blocks };
}

function mattermostPayload(alert: Alert): unknown {
  return {
    text: `#### ${markdownEscape(alert.title)}\n${markdownEscape(alert.summary)}`,
    attachments: [{
      fallback: printable(alert.title),
      color: SEVERITY_COLOR[alert.severity],
      title: printable(alert.title),
      title_link: alert.dashboard_url,
      fields: alertLines(alert).map((line) => ({
        title: line.label,
        value: line.untrusted ? codeSpan(line.value) : markdownEscape(line.value),
        short: line.value.length <= 40,
      })),
    }],
  };
}

function teamsPayload(alert: Alert): unknown {
  const card: Record<string, unknown> = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body: [
      {
        type: "TextBlock",
        text: markdownEscape(alert.title),
        weight: "Bolder",
        size: "Medium",
        wrap: true,
        color: alert.severity === "high" || alert.severity === "critical" ? "Attention" : "Default",
      },
      { type: "TextBlock", text: markdownEscape(alert.summary), wrap: true },
      {
        type: "FactSet",
        facts: alertLines(alert).map((line) => ({
          title: line.label,
          value: markdownEscape(line.value),
        })),
      },
    ],
  };
  if (alert.dashboard_url) {
    card.actions = [{
      type: "Action.OpenUrl",
      title: "Open in dashboard",
      url: alert.dashboard_url,
    }];
  }
  return {
    type: "message",
    attachments: [{
      contentType: "application/vnd.microsoft.card.adaptive",
      contentUrl: null,
      content: card,
    }],
  };
}

/** Slack mrkdwn: the three characters Slack asks to escape. */
function slackEscape(text: string): string {
  return printable(text).replace(
    /[&<>]/g,
    (c) => c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;",
  );
}

function slackValue(line: AlertLine): string {
  return line.untrusted ? slackEscape(codeSpan(line.value)) : slackEscape(line.value);
}

/**
 * Inline code: no mention, link or emphasis is parsed inside. Backticks in
 * the value (which would end the span) become a look-alike.
 */
function codeSpan(value: string): string {
  return `\`${printable(value).replaceAll("`", "\u02cb") || " "}\``;
}

/** CommonMark backslash escapes for the characters that start markup, links or mentions. */
function markdownEscape(text: string): string {
  return printable(text).replace(/[\\`*_{}[\]()#+!|<>~@]/g, (c) => `\\${c}`);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`;
}
