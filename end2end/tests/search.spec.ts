import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { hydrated } from "./helpers";
import { screensDir } from "../playwright.config";

test("search from the header finds factsheets with highlighted matches", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("searchbox", { name: "Zoeken in factsheets, modules en trainingen" }).fill("radicalisering online");
  await page.getByRole("button", { name: "Zoek", exact: true }).click();
  await expect(page).toHaveURL(/\/zoeken\?q=radicalisering\+online/);
  const hits = page.locator(".search-hit");
  await expect(hits.first()).toBeVisible();
  await expect(hits.first().locator(".snippet b").first()).toBeVisible();
  // Filtering by phenomenon narrows the list.
  const all = await hits.count();
  // A filter applies as soon as it changes, as on the factsheet index.
  await hydrated(page);
  await page.getByLabel("Fenomeen").selectOption("jihadisme");
  await expect(page).toHaveURL(/fenomeen=jihadisme/);
  expect(await hits.count()).toBeLessThanOrEqual(all);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
});

test("a typo gets a suggestion, and module hits name their course", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/zoeken?q=radikalisering");
  await expect(page.getByText("Niets gevonden")).toBeVisible();
  await page.locator(".suggestion").getByRole("link", { name: "radicalisering" }).click();
  await expect(page).toHaveURL(/q=radicalisering$/);
  await hydrated(page);
  await page.getByLabel("Soort").selectOption("module");
  await expect(page).toHaveURL(/soort=module/);
  await expect(page.locator(".hit-kind").first()).toContainText("Module uit de cursus Van signaal naar handelen");
  // Snippets say where they are cut.
  await expect(page.locator(".snippet").first()).toContainText("…");
  // The search box lines up with the filters beside it.
  const box = await page.getByLabel("Zoekterm").boundingBox();
  const select = await page.getByLabel("Soort").boundingBox();
  expect(Math.abs(box!.y - select!.y)).toBeLessThan(2);
  expect(Math.abs(box!.height - select!.height)).toBeLessThan(2);
  await page.screenshot({ path: `${screensDir}/1280-zoeken.png`, fullPage: true });
});

test("the Atom feed lists published factsheets", async ({ request }) => {
  const response = await request.get("/feed.xml");
  expect(response.headers()["content-type"]).toContain("application/atom+xml");
  const xml = await response.text();
  expect(xml).toContain("<entry>");
  expect(xml).toContain("/factsheets/jihadisme");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("search works as a plain form", async ({ page }) => {
    await page.goto("/zoeken");
    await page.getByLabel("Zoekterm").fill("signalen");
    await page.getByRole("button", { name: "Zoeken", exact: true }).click();
    await expect(page.getByRole("heading", { level: 2 })).toContainText("resulta");
    await expect(page.locator(".search-hit").first()).toBeVisible();
  });
});

test("moving through a filter's options with the arrow keys submits nothing until Enter (WCAG 3.2.2)", async ({ page }) => {
  await page.goto("/zoeken?q=radicalisering");
  await hydrated(page);
  const kind = page.getByLabel("Soort");
  await kind.focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  // Still browsing: the same page, the focus where it was.
  await page.waitForTimeout(300);
  await expect(page).toHaveURL(/\/zoeken\?q=radicalisering$/);
  await expect(kind).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/soort=/);
});
