// The Alerts pages in Chromium under `decnet up`: an admin adds a webhook channel and a rule and
// sends a test alert that a real receiver gets; a viewer reads both without admin controls.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { findBinary } from "../infra/find_binary.ts";
import { launchChromium, saveScreenshot } from "../infra/chromium.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { startWebhookReceiver } from "../core/alerts/_webhook_receiver.ts";

const ADMIN_PASSWORD = "alerts-admin-password-1";
const VIEWER_PASSWORD = "alerts-viewer-password-1";
const SECRET = "a shared secret for tests";

async function signIn(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/`);
}

Deno.test({
  name:
    "alerts dashboard in Chromium: add a channel and a rule, send a test alert, viewer reads only",
  ignore: !findBinary("chromium"),
  async fn(t) {
    const cwd = await Deno.makeTempDir({ prefix: "alerts-dashboard-" });
    await using receiver = startWebhookReceiver({ secret: SECRET });
    try {
      await using proc = spawnDecnet(["up", "--only", "api,alerts"], {
        cwd,
        env: { DECNET_API_PORT: "0", DECNET_ADMIN_PASSWORD: ADMIN_PASSWORD },
      });
      const [, base] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
      await using browser = await launchChromium();
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(e.message));

      await t.step(
        "admin adds a webhook channel; a bad one is refused naming the field",
        async () => {
          await signIn(page, base, "admin", ADMIN_PASSWORD);
          await page.getByRole("link", { name: "Alerts" }).click();
          await page.waitForURL(`${base}/alerts`);
          await page.locator("input[name=name]").fill("soc");
          await page.locator("textarea[name=config]").fill('{"type": "webhook", "url": "ftp://x"}');
          await page.getByRole("button", { name: "Add channel" }).click();
          await page.getByRole("alert").waitFor();
          assert.match(await page.getByRole("alert").innerText(), /body\.config\.url/);
          await page.locator("textarea[name=config]").fill(
            JSON.stringify({ type: "webhook", url: receiver.url, secret: SECRET }),
          );
          await page.getByRole("button", { name: "Add channel" }).click();
          await page.locator("tr[data-channel=soc]").waitFor();
          assert.match(
            await page.locator("tr[data-channel=soc]").innerText(),
            /127\.0\.0\.1:\d+\s+enabled/,
          );
        },
      );

      await t.step("send test alert: the receiver gets it and the row says delivered", async () => {
        // The supervisor re-spawns the worker with the new destination; the test alert waits in the outbox.
        await page.locator("tr[data-channel=soc]").getByRole("button", { name: "Send test alert" })
          .click();
        await page.getByText("Test alert delivered").waitFor({ timeout: 30_000 });
        await waitUntil(() => receiver.processed.size === 1);
        const [alert] = receiver.processed.values();
        assert.equal(alert.kind, "test");
        assert.match(String(alert.summary), /^admin sent a test alert to channel soc/);
        await saveScreenshot(page, "alerts-test-delivered");
      });

      await t.step(
        "admin turns on the audit log feed: the rule added next reaches the receiver as an audit alert",
        async () => {
          // A click, not check(): the box shows the stored value, checked once the change is stored.
          await page.getByLabel("Audit log to soc").click();
          // Stored: the list reread after the change shows it checked.
          await page.locator("tr[data-channel=soc] input[aria-label='Audit log to soc']:checked")
            .waitFor();
          assert.equal(await page.getByLabel("Event stream to soc").isChecked(), false);
        },
      );

      await t.step("admin adds a rule", async () => {
        await page.locator("input[name=rule-name]").fill("canaries");
        await page.getByLabel("canary_triggered").check();
        await page.locator("fieldset", { hasText: "Channels" }).getByLabel("soc").check();
        await page.getByRole("button", { name: "Add rule" }).click();
        await page.locator("tr[data-rule=canaries]").waitFor();
        assert.match(
          await page.locator("tr[data-rule=canaries]").innerText(),
          /1 per 600 s by token, source/,
        );
        // The audit log feed forwards the operator's action, signed like any alert.
        await waitUntil(
          () =>
            [...receiver.processed.values()].some((a) =>
              a.kind === "audit" &&
              (a.record as { action?: string }).action === "alert_rule.created"
            ),
          { what: "the audit alert of the rule", timeoutMs: 30_000 },
        );
        const audit = [...receiver.processed.values()].find((a) =>
          a.kind === "audit" &&
          (a.record as { action?: string }).action === "alert_rule.created"
        )!;
        assert.equal(audit.topic, "audit.alert_rule.created");
        assert.match(String(audit.title), /^Audit: alert_rule\.created by admin \(success\)$/);
      });

      await t.step(
        "a viewer reads channels and rules without admin controls or credentials",
        async () => {
          const login = await fetch(`${base}/api/v1/auth/login`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
          });
          const { access_token } = await login.json();
          const created = await fetch(`${base}/api/v1/users`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${access_token}`,
              "content-type": "application/json",
            },
            body: JSON.stringify({ username: "vera", password: VIEWER_PASSWORD, role: "viewer" }),
          });
          assert.equal(created.status, 201);
          await created.body?.cancel();
          await page.context().clearCookies();
          await signIn(page, base, "vera", VIEWER_PASSWORD);
          await page.goto(`${base}/alerts`);
          await page.locator("tr[data-channel=soc]").waitFor();
          await page.locator("tr[data-rule=canaries]").waitFor();
          assert.match(await page.locator("tr[data-channel=soc]").innerText(), /Audit log/);
          assert.equal(await page.getByRole("button", { name: "Send test alert" }).count(), 0);
          assert.equal(await page.getByRole("button", { name: "Add rule" }).count(), 0);
          const html = await page.content();
          assert.equal(html.includes(SECRET), false);
          assert.equal(html.includes("/hook"), false);
        },
      );
      assert.deepEqual(problems, []);
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
