// Debian's chromium driven by npm playwright-core (which works under Deno:
// it launches the browser over node:child_process pipes).
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";
import { findBinary } from "./find_binary.ts";

/** A headless Chromium with a fresh profile; close it with `await using`. */
export interface Chromium extends AsyncDisposable {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Flags from the dashboard issue: no sandbox (root in CI), no background traffic. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Where screenshots go (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS_DIR = new URL("../artifacts/", import.meta.url);

/** Starts Chromium (found on PATH as `chromium`) with a fresh user-data-dir. */
export async function launchChromium(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<Chromium> {
  const executablePath = findBinary("chromium");
  if (!executablePath) {
    throw new Error("Cannot start Chromium: no chromium on PATH (run tools/install_test_deps.sh)");
  }
  const profile = await Deno.makeTempDir({ prefix: "chromium-profile-" });
  // playwright-core passes the profile as --user-data-dir itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 860 },
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  return {
    context,
    newPage: () => context.newPage(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Saves a full-page screenshot as tests/artifacts/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS_DIR).pathname, fullPage: true });
}

/** Signs in through the login form and waits for the overview. */
export async function signIn(
  page: Page,
  base: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/`);
}
