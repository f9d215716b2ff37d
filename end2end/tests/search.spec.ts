import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

test("search from the header finds factsheets with highlighted matches", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("searchbox", { name: "Zoeken in factsheets en modules" }).fill("radicalisering online");
  await page.getByRole("button", { name: "Zoek", exact: true }).click();
  await expect(page).toHaveURL(/\/zoeken\?q=radicalisering\+online/);
  const hits = page.locator(".search-hit");
  await expect(hits.first()).toBeVisible();
  await expect(hits.first().locator(".snippet b").first()).toBeVisible();
  // Filtering by phenomenon narrows the list.
  const all = await hits.count();
  await page.getByLabel("Fenomeen").selectOption("jihadisme");
  await page.getByRole("button", { name: "Zoeken", exact: true }).click();
  await expect(page).toHaveURL(/fenomeen=jihadisme/);
  expect(await hits.count()).toBeLessThanOrEqual(all);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
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
