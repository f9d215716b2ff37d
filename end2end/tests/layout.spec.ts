import { test, expect, Page } from "@playwright/test";
import { completeProfileIfAsked, freshPage, hydrated, logIn, PUBLIC_PAGES } from "./helpers";
import { screensDir } from "../playwright.config";

// Screenshots land here for a person to look at; the assertions stand on their own.
const SHOTS = screensDir;


async function scrollsSideways(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

test("on a 390 px phone no page scrolls sideways", async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  for (const path of PUBLIC_PAGES) {
    await page.goto(path);
    await hydrated(page);
    expect(await scrollsSideways(page), path).toBe(false);
    await page.screenshot({ path: `${SHOTS}/390${path.replace(/[/?=]/g, "_")}.png`, fullPage: true });
  }
  // The header leaves most of the screen to the page.
  const header = await page.locator(".site-header").boundingBox();
  expect(header!.height).toBeLessThan(844 / 4);

  await page.goto("/");
  await logIn(page, "beheerder");
  await completeProfileIfAsked(page, "Bea Beheerder");
  for (const path of [
    "/beheer/gebruikers",
    "/beheer/audit",
    "/profiel",
    "/mijn/trainingen",
    "/trainingen/casusoverleg-en-doorverwijzen/2027-voorjaar/beheer",
  ]) {
    await page.goto(path);
    await hydrated(page);
    expect(await scrollsSideways(page), path).toBe(false);
    await page.screenshot({ path: `${SHOTS}/390${path.replace(/[/?=]/g, "_")}.png`, fullPage: true });
  }
});

test("at 1280 px the header of an editor and an admin is one row", async ({ browser }) => {
  for (const account of ["redacteur", "beheerder"]) {
    const page = await freshPage(browser);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("/");
    await logIn(page, account);
    await completeProfileIfAsked(page, `Demo ${account}`);
    await page.goto("/");
    const brand = await page.locator(".site-header .brand").boundingBox();
    const logout = await page.getByRole("button", { name: "Uitloggen" }).boundingBox();
    const search = await page.getByRole("searchbox").boundingBox();
    // One row: search and the last account button sit level with the logo, not below it.
    const container = await page.locator(".site-header .container").boundingBox();
    expect(logout!.x + logout!.width, account).toBeLessThanOrEqual(container!.x + container!.width);
    for (const box of [logout!, search!]) {
      const middle = box.y + box.height / 2;
      expect(middle, account).toBeGreaterThan(brand!.y);
      expect(middle, account).toBeLessThan(brand!.y + brand!.height);
    }
    await page.screenshot({ path: `${SHOTS}/1280-header-${account}.png` });
    if (account === "redacteur") {
      await page.goto("/redactie");
      expect(await scrollsSideways(page)).toBe(false);
      await page.screenshot({ path: `${SHOTS}/1280-redactie.png`, fullPage: true });
    }
  }
});

test("the skip link moves the focus to the content once the page has hydrated", async ({ page }) => {
  await page.goto("/factsheets");
  await hydrated(page);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Direct naar de inhoud" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#inhoud")).toBeFocused();
});

test("a page that needs a login says so, with the login button, without apologising", async ({ page }) => {
  for (const path of ["/profiel", "/redactie", "/beheer/gebruikers"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inloggen nodig");
    await expect(page.getByText("Log in om deze pagina te bekijken.")).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: "Inloggen" })).toBeVisible();
    await expect(page.getByRole("main")).not.toContainText("excuses");
  }
  await page.screenshot({ path: `${SHOTS}/login-nodig.png` });
});

test("the feed is linked visibly on the factsheet index", async ({ page }) => {
  await page.goto("/factsheets");
  await expect(page.getByRole("main").getByRole("link", { name: /Atom-feed/ })).toHaveAttribute("href", "/feed.xml");
});
