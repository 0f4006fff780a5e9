// The Swarm hosts page in Chromium under `decnet up`: online and offline by the last heartbeat,
// the version each agent reports, pending hosts, and each host's decky count.
import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { findBinary } from "../../infra/find_binary.ts";
import { launchChromium, saveScreenshot } from "../../infra/chromium.ts";
import { spawnDecnet } from "../../infra/spawn_decnet.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";
import { enrollSwarmHost, ensureSwarmAuthority } from "../../../core/swarm/mod.ts";

const ADMIN_PASSWORD = "swarm-admin-password-1";

Deno.test({
  name: "Swarm page in Chromium shows each host's link, heartbeat, version and deckies",
  ignore: !findBinary("chromium"),
  async fn(t) {
    const home = await Deno.makeTempDir({ prefix: "swarm-page-" });
    try {
      await ensureSwarmAuthority(home);
      const handle = await openMigratedDatabase(`sqlite:${home}/decnet.db`);
      const long = new Date(Date.now() - 10 * 60_000);
      const repos = createRepositories(handle);
      await enrollAndJoin(repos.swarmHosts, home, "alpha");
      await enrollAndJoin(repos.swarmHosts, home, "bravo");
      await enrollSwarmHost(repos.swarmHosts, "charlie", {
        now: new Date(),
        random: (b) => crypto.getRandomValues(b),
      });
      await repos.swarmHosts.recordHeartbeat("alpha", "1.2.3");
      // bravo's last beat is ten minutes old: offline.
      await createRepositories(handle, { clock: () => long }).swarmHosts
        .recordHeartbeat("bravo", "1.2.2");
      for (const [hostUuid, name] of [["alpha", "web-a"], ["alpha", "db-a"], ["local", "web-m"]]) {
        await repos.fleet.upsert({
          hostUuid,
          name,
          ip: null,
          services: ["ssh"],
          images: {},
          network: null,
          networkDriver: null,
          osPersona: "linux",
        }, "running");
      }
      await handle.close();

      await using proc = spawnDecnet(["up", "--only", "api"], {
        cwd: home,
        env: {
          DECNET_HOME: home,
          DECNET_API_PORT: "0",
          DECNET_ADMIN_PASSWORD: ADMIN_PASSWORD,
        },
      });
      const [, base] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
      await using browser = await launchChromium();
      const page = await browser.newPage();

      await t.step("an admin opens Swarm from the navigation", async () => {
        await page.goto(`${base}/login`);
        await page.getByLabel("Username").fill("admin");
        await page.getByLabel("Password").fill(ADMIN_PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${base}/`);
        await page.getByRole("link", { name: "Swarm" }).click();
        await page.waitForURL(`${base}/swarm`);
        assert.equal(await page.locator("h1").innerText(), "Swarm hosts (3)");
      });

      await t.step("each host shows its state, link, version and deckies", async () => {
        const row = async (host: string) =>
          (await page.locator(`tr[data-host=${host}] td`).allInnerTexts()).map((s) => s.trim());
        const alpha = await row("alpha");
        assert.deepEqual([alpha[0], alpha[1], alpha[2], alpha[4], alpha[5]], [
          "alpha",
          "enrolled",
          "online",
          "1.2.3",
          "2",
        ]);
        const bravo = await row("bravo");
        assert.deepEqual([bravo[1], bravo[2], bravo[4], bravo[5]], [
          "enrolled",
          "offline",
          "1.2.2",
          "0",
        ]);
        const charlie = await row("charlie");
        assert.deepEqual([charlie[1], charlie[2], charlie[3], charlie[4]], [
          "pending",
          "-",
          "never",
          "-",
        ]);
        await saveScreenshot(page, "swarm-hosts");
      });

      await t.step("a host's name opens the fleet narrowed to its deckies, kept live", async () => {
        // The island reloads from the API when its live stream connects: still only alpha's.
        const reload = page.waitForResponse((r) => r.url().includes("/api/v1/fleet/deckies"));
        await page.locator("tr[data-host=alpha]").getByRole("link", { name: "alpha" }).click();
        await page.waitForURL(`${base}/fleet?host=alpha`);
        const reloaded = await reload;
        assert.match(reloaded.url(), /[?&]host=alpha(&|$)/);
        await reloaded.finished();
        await page.locator("tr[data-decky=web-a]").waitFor();
        const names = await page.locator("tr[data-decky]").evaluateAll((rows) =>
          rows.map((r) => r.getAttribute("data-decky")).sort()
        );
        assert.deepEqual(names, ["db-a", "web-a"]);
        await page.getByLabel("Host").selectOption("");
        await page.getByRole("button", { name: "Filter" }).click();
        await page.locator("tr[data-decky=web-m]").waitFor();
      });
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
