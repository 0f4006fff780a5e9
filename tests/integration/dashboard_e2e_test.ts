// End to end in a real browser: Debian's chromium via playwright-core against
// `decnet up` with data seeded into its database. Screenshots of every page
// land in tests/artifacts/.
import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import { launchChromium, saveScreenshot, signIn } from "../infra/chromium.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { makeTokenInput } from "../web/_token_fixture.ts";
import { makeSensorEvent } from "../core/db/attackers_contract.ts";
import { makeClusteredCampaign, makeClusteredIdentity } from "../core/db/campaigns_contract.ts";

const ADMIN_PASSWORD = "e2e-admin-password-1";
const VIEWER_PASSWORD = "e2e-viewer-password-1";
const SLUG = "AbCdEfGhIjKlMnOpQrStUv";

async function seed(dbUrl: string): Promise<void> {
  await using handle = await openMigratedDatabase(dbUrl);
  const repos = createRepositories(handle);
  const states = ["running", "running", "degraded", "failed"] as const;
  for (const [i, state] of states.entries()) {
    await repos.fleet.upsert({
      hostUuid: "local",
      name: `decky-0${i + 1}`,
      ip: `192.0.2.${10 + i}`,
      services: ["ssh", "smb"],
      images: {},
      network: null,
      networkDriver: null,
      osPersona: "linux",
    }, state);
  }
  const now = Date.now();
  for (let i = 0; i < 40; i++) {
    await repos.orchestrator.insertEvent({
      ts: new Date(now - i * 31 * 60_000).toISOString(),
      kind: (["traffic", "file"] as const)[i % 2],
      src_decky_uuid: null,
      src_decky_name: "decky-01",
      dst_decky_uuid: null,
      dst_decky_name: "decky-02",
      success: i % 7 === 0 ? 0 : 1,
      payload: "{}",
      error: i % 7 === 0 ? "exec timed out" : null,
    });
  }
  for (let i = 0; i < 3; i++) {
    await repos.orchestrator.insertEmail({
      ts: new Date(now - (i * 17 + 3) * 60_000).toISOString(),
      mail_decky_uuid: "mail-uuid",
      mail_decky_name: "mail-01",
      thread_id: `thread-${i}`,
      message_id: `<m${i}@corp.example>`,
      in_reply_to: null,
      references_chain: "",
      sender: "ann.lee@corp.example",
      recipient: "bob.ray@corp.example",
      subject: `Budget review ${i}`,
      language: "en",
      body: "Hi Bob, see the figures attached.",
      path: "/var/mail/bob",
      success: 1,
      error: null,
    });
  }
  const token = await repos.canary.insertToken(makeTokenInput({
    uuid: crypto.randomUUID(),
    callback_token: SLUG,
    decky_name: "decky-01",
    placement_path: "/home/user/.aws/credentials",
  }));
  await repos.canary.recordTrigger({
    tokenUuid: token.uuid,
    occurredAt: new Date(now - 5 * 60_000),
    srcIp: "198.51.100.23",
    userAgent: "curl/8.0",
    method: "GET",
    requestPath: `/c/${token.callback_token}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  });
  await seedCampaigns(repos);
}

/**
 * A crew of two identities (c-crew) and a loner (c-loner), as the clusterer would store them
 * (their attacker records are left out: the logs step counts the service events).
 */
async function seedCampaigns(repos: ReturnType<typeof createRepositories>): Promise<void> {
  const identity = (n: number, campaignId: string) =>
    makeClusteredIdentity({
      key: `203.0.113.${n}`,
      members: [{ attackerId: 9000 + n, ip: `203.0.113.${n}` }],
      campaignId,
    });
  await repos.campaigns.saveClustering({
    identities: [identity(1, "c-crew"), identity(2, "c-crew"), identity(3, "c-loner")],
    campaigns: [
      makeClusteredCampaign({ id: "c-crew", identityCount: 2, addressCount: 2 }),
      makeClusteredCampaign({ id: "c-loner" }),
    ],
  });
}

Deno.test("dashboard in Chromium: login, overview, live trigger, workers, viewer without admin controls", async (t) => {
  const cwd = await Deno.makeTempDir({ prefix: "dashboard-e2e-" });
  try {
    const dbUrl = `sqlite:${cwd}/var/decnet.db`;
    await Deno.mkdir(`${cwd}/var`, { recursive: true, mode: 0o700 });
    await seed(dbUrl);
    await using proc = spawnDecnet(["up", "--only", "api,canary,collector"], {
      cwd,
      env: {
        DECNET_API_PORT: "0",
        DECNET_CANARY_HTTP_PORT: "0",
        DECNET_CANARY_HTTP_BIND: "127.0.0.1",
        DECNET_CANARY_DNS_PORT: "0",
        DECNET_CANARY_HTTP_BASE: "http://192.0.2.1",
        DECNET_ADMIN_PASSWORD: ADMIN_PASSWORD,
        DECNET_DB_URL: dbUrl,
        DECNET_REALISM_PERSONAS: `${cwd}/var/personas.json`,
      },
    });
    const [, base] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
    const [, canaryAddr] = await proc.waitForLine(/Canary HTTP listening on (\S+)/);

    await using browser = await launchChromium();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));

    await t.step("the root sends an anonymous visitor to the login page", async () => {
      await page.goto(`${base}/`);
      assert.equal(new URL(page.url()).pathname, "/login");
      await saveScreenshot(page, "login");
    });

    await t.step("a wrong password shows the error next to the form", async () => {
      await page.getByLabel("Username").fill("admin");
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").waitFor();
      assert.match(await page.getByRole("alert").innerText(), /Wrong username or password/);
      await saveScreenshot(page, "login-error");
    });

    await t.step("admin signs in and sees the overview with its figures", async () => {
      await signIn(page, base, "admin", ADMIN_PASSWORD);
      assert.equal(await page.getByTestId("user").innerText(), "admin");
      assert.equal(await page.getByTestId("role").innerText(), "admin");
      const running = page.locator('[data-state="running"] strong');
      assert.equal(await running.innerText(), "2");
      assert.match(await page.locator("figcaption").innerText(), /^40 events in 24 h, 6 failed/);
      assert.match(await page.locator("body").innerText(), /198\.51\.100\.23/);
      await saveScreenshot(page, "overview");
    });

    await t.step("a trigger appears live after a curl to /c/<slug>", async () => {
      await page.getByText("live", { exact: true }).waitFor();
      const curl = await new Deno.Command("curl", {
        args: ["-s", "-o", "/dev/null", "-A", "e2e-agent/1.0", `http://${canaryAddr}/c/${SLUG}`],
      }).output();
      assert.equal(curl.code, 0);
      await page.locator("[data-trigger]").nth(1).waitFor();
      const first = await page.locator("[data-trigger]").first().innerText();
      assert.match(first, /127\.0\.0\.1/);
      assert.match(first, /http/);
      await saveScreenshot(page, "overview-live-trigger");
    });

    await t.step("the fleet page lists deckies and links to each decky", async () => {
      await page.getByRole("link", { name: "Fleet" }).click();
      await page.waitForURL(`${base}/fleet`);
      assert.equal(await page.locator("[data-decky]").count(), 4);
      assert.equal(
        await page.locator('[data-decky="decky-03"] [data-testid="state"]').innerText(),
        "degraded",
      );
      await saveScreenshot(page, "fleet");
      await page.getByRole("link", { name: "decky-01" }).click();
      await page.getByRole("heading", { name: /Canary tokens \(1\)/ }).waitFor();
      await saveScreenshot(page, "decky");
    });

    await t.step("the orchestrator page filters by tab and inspects an email", async () => {
      await page.getByRole("link", { name: "Orchestrator" }).click();
      await page.waitForURL(`${base}/orchestrator`);
      assert.equal(await page.getByTestId("failures").innerText(), "1");
      const rows = page.locator('[data-testid="events"] tbody tr');
      assert.equal(await rows.count(), 43);
      await page.getByRole("tab", { name: "email" }).click();
      assert.equal(await rows.count(), 3);
      await page.getByLabel("Search").fill("review 1");
      assert.equal(await rows.count(), 1);
      await saveScreenshot(page, "orchestrator");
      const inspect = rows.first().getByRole("button", { name: /Inspect/ });
      await inspect.click();
      const drawer = page.getByRole("dialog");
      await drawer.waitFor();
      const text = await drawer.innerText();
      for (const want of ["ann.lee@corp.example", "bob.ray@corp.example", "thread-1", "en"]) {
        assert.ok(text.includes(want), want);
      }
      await saveScreenshot(page, "orchestrator-inspector");
      await page.keyboard.press("Escape");
      await drawer.waitFor({ state: "hidden" });
      assert.equal(await inspect.evaluate((el) => el === document.activeElement), true);
    });

    await t.step("a page that lost its stream gets what was stored meanwhile, once", async () => {
      // Keeps the page's EventSources reachable, to cut the island's stream as a network error would.
      await page.addInitScript(() => {
        const Native = globalThis.EventSource;
        const opened: EventSource[] = [];
        Object.assign(globalThis, { openedEventSources: opened });
        globalThis.EventSource = class extends Native {
          constructor(url: string | URL, init?: EventSourceInit) {
            super(url, init);
            opened.push(this);
          }
        };
      });
      await page.goto(`${base}/orchestrator`);
      const rows = page.locator('[data-testid="events"] tbody tr');
      await page.getByText("live", { exact: true }).waitFor();
      assert.equal(await rows.count(), 43);
      // Stored straight into the database: no bus message, so the open stream does not send it.
      {
        await using handle = await openMigratedDatabase(dbUrl);
        const repos = createRepositories(handle);
        await repos.orchestrator.insertEvent({
          ts: new Date().toISOString(),
          kind: "file",
          src_decky_uuid: null,
          src_decky_name: null,
          dst_decky_uuid: null,
          dst_decky_name: "decky-04",
          success: 1,
          payload: JSON.stringify({ action: "create", path: "/home/x/missed.txt" }),
          error: null,
        });
      }
      await page.evaluate(() => {
        const opened = (globalThis as unknown as { openedEventSources: EventSource[] })
          .openedEventSources;
        opened.at(-1)!.dispatchEvent(new Event("error"));
      });
      // The island reconnects with a new ticket and its last event id: the server sends the row.
      await rows.filter({ hasText: "missed.txt" }).waitFor();
      await page.getByText("live", { exact: true }).waitFor();
      assert.equal(await rows.count(), 44);
      await page.reload();
      await rows.filter({ hasText: "missed.txt" }).waitFor();
      assert.equal(await rows.count(), 44, "the reloaded table has the same rows");
    });

    await t.step(
      "live logs show attacker text as text, and hold new rows while paused",
      async () => {
        let position = { logTime: "", linesAtTime: 0 };
        // Stored straight into the database, then the stream cut: the island's reconnection
        // brings the rows after its last id, as after any network error.
        const storeAndReconnect = async (command: string) => {
          {
            await using handle = await openMigratedDatabase(dbUrl);
            const to = { logTime: new Date().toISOString(), linesAtTime: 1 };
            await createRepositories(handle).attackers.storeSensorBatch({
              container: "sensor-1",
              decky: "decky-01",
              from: position,
              to,
              badLines: 0,
              isBenign: () => false,
              events: [
                makeSensorEvent({ kind: "command", command, time: new Date().toISOString() }),
              ],
            });
            position = to;
          }
          await page.evaluate(() => {
            const opened = (globalThis as unknown as { openedEventSources: EventSource[] })
              .openedEventSources;
            opened.at(-1)!.dispatchEvent(new Event("error"));
          });
        };
        await page.goto(`${base}/logs`);
        await page.getByText("live", { exact: true }).waitFor();
        const rows = page.locator('[data-testid="service-events"] tbody tr');
        const hostile = `<img src=x onerror="document.title='owned'">`;
        await storeAndReconnect(hostile);
        await rows.filter({ hasText: hostile }).waitFor();
        assert.notEqual(await page.title(), "owned");
        await page.getByTestId("pause").click();
        await storeAndReconnect("cat /etc/shadow");
        await page.getByText("paused, 1 new").waitFor();
        assert.equal(await rows.count(), 1);
        await page.getByTestId("resume").click();
        await rows.filter({ hasText: "cat /etc/shadow" }).waitFor();
        assert.equal(await rows.count(), 2);
        await page.getByTestId("log-filter").fill("shadow");
        assert.equal(await rows.count(), 1);
      },
    );

    await t.step(
      "a campaign page refreshes live when an admin merges another into it",
      async () => {
        await page.goto(`${base}/campaigns`);
        await page.getByRole("link", { name: "c-crew" }).click();
        await page.waitForURL(`${base}/campaigns/c-crew`);
        await page.getByText("live", { exact: true }).waitFor();
        assert.equal(await page.getByTestId("identity-count").innerText(), "2");
        await saveScreenshot(page, "campaign");
        // The merge goes through the API from this page's session; the island only hears of it.
        const status = await page.evaluate(async () =>
          (await fetch("/api/v1/campaigns/c-loner/merge", {
            method: "POST",
            headers: { "content-type": "application/json", "x-requested-with": "fetch" },
            body: JSON.stringify({ into: "c-crew" }),
          })).status
        );
        assert.equal(status, 200);
        await page.locator('[data-testid="identity-count"]', { hasText: "3" }).waitFor();
        await page.goto(`${base}/campaigns/c-loner`);
        await page.getByTestId("merged-chip").getByRole("link", { name: "c-crew" }).waitFor();
        await saveScreenshot(page, "campaign-merged");
      },
    );

    await t.step("personas: add in the dialog, duplicate email refused, save", async () => {
      await page.getByRole("link", { name: "Personas" }).click();
      await page.waitForURL(`${base}/personas`);
      const addPersona = async (name: string, email: string) => {
        await page.getByRole("button", { name: "Add persona" }).click();
        const dialog = page.getByRole("dialog");
        await dialog.getByLabel("Name").fill(name);
        await dialog.getByLabel("Email").fill(email);
        await dialog.getByLabel("Role", { exact: true }).fill("Analyst");
        await dialog.getByRole("button", { name: "Apply" }).click();
        await dialog.waitFor({ state: "hidden" });
      };
      await addPersona("Ana Lima", "ana@corp.example");
      await page.getByTestId("dirty").waitFor();
      // The dialog refuses an address already in the batch, as you type.
      await page.getByRole("button", { name: "Add persona" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Email").fill("ANA@corp.example");
      await dialog.getByText("Another persona already uses this address").waitFor();
      await saveScreenshot(page, "personas-dialog");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText(/^Saved/).waitFor();
      await page.reload();
      await page.locator('[data-persona="Ana Lima"]').waitFor();
      assert.equal(await page.getByTestId("dirty").count(), 0);
      await saveScreenshot(page, "personas");
    });

    await t.step("realism settings are validated as you type", async () => {
      await page.getByRole("link", { name: "Realism" }).click();
      await page.waitForURL(`${base}/realism`);
      const probability = page.getByLabel("Canary probability (0-1)");
      await probability.fill("1.5");
      await page.getByText("Expected a number 0-1, got 1.5").waitFor();
      assert.equal(await page.getByRole("button", { name: "Save" }).isDisabled(), true);
      await probability.fill("0.2");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText(/^Saved/).waitFor();
      await saveScreenshot(page, "realism");
    });

    await t.step(
      "canary: token list, token page with its triggers, create and revoke",
      async () => {
        await page.getByRole("link", { name: "Canary" }).click();
        await page.waitForURL(`${base}/canary`);
        assert.equal(await page.locator("[data-token]").count(), 1);
        await saveScreenshot(page, "canary");
        await page.locator("[data-token] a").first().click();
        await page.getByRole("heading", { name: /Trigger history \(2\)/ }).waitFor();
        assert.match(await page.locator("body").innerText(), /e2e-agent\/1\.0/);
        await saveScreenshot(page, "canary-token");
        // A row arriving live is the row a reload shows, user agent included.
        await page.getByText("live", { exact: true }).waitFor();
        const curl = await new Deno.Command("curl", {
          args: ["-s", "-o", "/dev/null", "-A", "e2e-live/2.0", `http://${canaryAddr}/c/${SLUG}`],
        }).output();
        assert.equal(curl.code, 0);
        await page.locator("[data-trigger]").nth(2).waitFor();
        const liveRow = await page.locator("[data-trigger]").first().innerText();
        assert.match(liveRow, /e2e-live\/2\.0/);
        await page.reload();
        await page.getByRole("heading", { name: /Trigger history \(3\)/ }).waitFor();
        assert.equal(await page.locator("[data-trigger]").first().innerText(), liveRow);
        const hasApi = await page.evaluate(async () =>
          (await fetch("/api/v1/canary/tokens")).status !== 404
        );
        if (!hasApi) return; // create and revoke need the canary API (another branch)
        await page.goto(`${base}/canary`);
        await page.getByLabel("Plant on a decky (else issue only and download)").uncheck();
        await page.getByLabel("Bait generator").selectOption("git_config");
        await page.getByRole("button", { name: "Create token" }).click();
        await page.getByRole("link", { name: "open the token" }).or(page.getByRole("alert"))
          .waitFor();
        assert.equal(
          await page.getByRole("alert").count(),
          0,
          await page.locator("form.form-grid").innerText(),
        );
        await page.getByRole("link", { name: "open the token" }).click();
        await page.getByRole("button", { name: "Revoke" }).click();
        await page.getByRole("button", { name: "Yes, revoke" }).click();
        await page.getByTestId("token-state").getByText("revoked").waitFor();
        assert.match(await page.locator(".facts").innerText(), /git_config/);
        await saveScreenshot(page, "canary-revoked");
      },
    );

    await t.step("admin sees worker controls and can use them", async () => {
      await page.getByRole("link", { name: "Workers" }).click();
      await page.waitForURL(`${base}/workers`);
      await page.locator('[data-worker="canary"]').waitFor();
      assert.equal(await page.getByRole("button", { name: "Stop canary" }).count(), 1);
      await page.getByRole("button", { name: "Start canary" }).click();
      await page.getByText("Asked the supervisor to start canary").waitFor();
      await saveScreenshot(page, "workers-admin");
    });

    await t.step("a viewer sees no admin controls and the API refuses them anyway", async () => {
      const res = await page.evaluate(async (pw) => {
        const r = await fetch("/api/v1/users", {
          method: "POST",
          headers: { "content-type": "application/json", "x-requested-with": "fetch" },
          body: JSON.stringify({ username: "vera", password: pw, role: "viewer" }),
        });
        return r.status;
      }, VIEWER_PASSWORD);
      assert.equal(res, 201);
      // The admin's Audit page shows that account's creation.
      await page.goto(`${base}/`);
      await page.getByRole("link", { name: "Audit" }).click();
      await page.waitForURL(`${base}/audit`);
      await page.locator('[data-action="user.added"]').filter({ hasText: "vera" }).waitFor();
      await saveScreenshot(page, "audit");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${base}/login`);
      await signIn(page, base, "vera", VIEWER_PASSWORD);
      assert.equal(await page.getByTestId("role").innerText(), "viewer");
      assert.equal(await page.getByRole("link", { name: "Audit" }).count(), 0);
      await page.goto(`${base}/workers`);
      await page.locator('[data-worker="canary"]').waitFor();
      assert.equal(await page.getByRole("button", { name: /^(Start|Stop) / }).count(), 0);
      const status = await page.evaluate(async () => {
        const r = await fetch("/api/v1/workers/canary/stop", {
          method: "POST",
          headers: { "x-requested-with": "fetch" },
        });
        return r.status;
      });
      assert.equal(status, 403);
      await saveScreenshot(page, "workers-viewer");
    });

    await t.step("pages fit a narrow screen", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/`);
      const overflow = await page.evaluate(() =>
        document.documentElement.scrollWidth - document.documentElement.clientWidth
      );
      assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
      await saveScreenshot(page, "overview-narrow");
    });

    await t.step(
      "a live page goes to the login page when another admin removes its user",
      async () => {
        // Signed in as the viewer, on a page following the live feed.
        await page.goto(`${base}/orchestrator`);
        await page.getByText("live", { exact: true }).waitFor();
        const login = await fetch(`${base}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
        });
        const { access_token } = await login.json();
        const removed = await fetch(`${base}/api/v1/users/vera`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${access_token}` },
        });
        assert.equal(removed.status, 204);
        await page.waitForURL(`${base}/login?next=%2Forchestrator`);
        await page.getByLabel("Username").waitFor();
      },
    );

    await t.step("no script or CSP errors in the console", () => {
      // Expected failed loads: the wrong password (401), the viewer's refused
      // API call (403), the removed viewer's last calls (401) and the
      // browser's own /favicon.ico probe (404).
      const relevant = problems.filter((p) =>
        !/^Failed to load resource: the server responded with a status of (401|403|404)\b/.test(p)
      );
      assert.deepEqual(relevant, []);
    });

    await browser.close();
    await proc.close();
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
