import { expect, Page, Browser, BrowserContext } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { inboxURL, issuer, platformNow, shiftDate, shiftDays } from "../playwright.config";

/// A date of the shipped content or of a test, moved as the suite's clock is (see
/// `E2E_SHIFT_WEEKS` in playwright.config.ts).
export function shifted(iso: string): string {
  return shiftDate(iso, shiftDays);
}

/// `YYYY-MM-DD` as the platform writes it: "15 februari 2027".
export function dutchDate(iso: string): string {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString("nl-NL", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

/// A day as YYYY-MM-DD in Amsterdam, where the platform's "today" is (not UTC: between
/// midnight and 01:00 or 02:00 they differ), `offsetDays` from the platform's today.
export function platformDay(offsetDays: number): string {
  return new Date(platformNow().getTime() + offsetDays * 24 * 3600 * 1000).toLocaleDateString("sv-SE", {
    timeZone: "Europe/Amsterdam",
  });
}

export type Mail = { subject: string; to: { address: string }[]; text: string; html: string };

/// The newest mail to `address` whose subject starts with `subject`, once it has arrived in the
/// local inbox (npm maildev's REST API).
export async function mailTo(address: string, subject: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(
      async () => {
        const mails: Mail[] = await (await fetch(`${inboxURL}/email`)).json();
        found = mails.reverse().find((m) => m.to.some((t) => t.address === address) && m.subject.startsWith(subject));
        return found !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return found!;
}

export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/// Logs in through the real oidc-provider's login form (any password works for demo accounts).
export async function logIn(page: Page, account: string) {
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Inloggen" }).click();
  await expect(page).toHaveURL(new RegExp(`^${issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill("demo");
  await page.locator('button[type="submit"]').click();
}

/// On first login the profile form comes first; fills it in when it does.
export async function completeProfileIfAsked(page: Page, name: string) {
  await page.waitForLoadState();
  if (!/\/profiel\?volgende=/.test(page.url())) return;
  await page.getByLabel("Naam").fill(name);
  await page.getByLabel("Organisatie").fill("Landelijk Steunpunt Extremisme");
  await page.getByLabel("Werkterrein").selectOption("anders");
  await page.getByRole("button", { name: "Profiel opslaan" }).click();
  // Saved: on to where the login started.
  await expect(page).not.toHaveURL(/\/profiel\?volgende=/);
}

/// Browsers without JavaScript, made by `loggedIn(…, false)`.
const withoutJavaScript = new WeakSet<BrowserContext>();

/// The page has no accessibility violations axe can find. axe runs as a script, so a page
/// shown without JavaScript is checked as a copy: its HTML served at its own address to a
/// browser with JavaScript (the stylesheet loads as usual), which covers pages that only
/// answer a post, such as a confirmation.
export async function axe(page: Page) {
  if (!withoutJavaScript.has(page.context())) {
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations).toEqual([]);
    return;
  }
  const html = await page.content();
  const context = await page.context().browser()!.newContext({ viewportSize: page.viewportSize() ?? undefined });
  const copy = await context.newPage();
  await copy.route(page.url(), (route) => route.fulfill({ body: html, contentType: "text/html; charset=utf-8" }));
  await copy.goto(page.url());
  const results = await new AxeBuilder({ page: copy }).analyze();
  await context.close();
  expect(results.violations).toEqual([]);
}

/// A logged-in page for `account` (an account the provider does not know logs in as a
/// participant), starting at `path`; `js: false` is a browser without JavaScript.
export async function loggedIn(browser: Browser, account: string, name: string, path: string, js = true) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  if (!js) withoutJavaScript.add(context);
  const page = await context.newPage();
  await page.goto(path);
  await logIn(page, account);
  await completeProfileIfAsked(page, name);
  return page;
}

export async function freshPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

// Every public page, each shipped document included.
export const PUBLIC_PAGES = [
  "/",
  "/factsheets",
  ...[
    "anti-institutioneel-extremisme",
    "doorverwijzen",
    "in-gesprek-blijven",
    "jihadisme",
    "links-extremisme",
    "online-radicalisering-en-memes",
    "rechts-extremisme",
    "signalen-herkennen",
  ].map((slug) => `/factsheets/${slug}`),
  "/modules",
  "/modules/van-signaal-naar-handelen",
  ...["radicalisering-als-proces", "signalen-wegen", "van-zorg-naar-actie"].map(
    (slug) => `/modules/van-signaal-naar-handelen/${slug}`,
  ),
  "/zoeken?q=radicalisering",
  "/privacy",
  "/trainingen",
  ...["casusoverleg-en-doorverwijzen", "gespreksvoering-bij-radicalisering", "online-radicalisering-en-memes-duiden"].map(
    (slug) => `/trainingen/${slug}`,
  ),
];
