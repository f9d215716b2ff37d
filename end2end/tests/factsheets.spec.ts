import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

test("home page loads, hydrates and lists recently reviewed factsheets", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("radicalisering en extremisme");
  await hydrated(page);
  const recent = page.locator("#recent-factsheets > li");
  await expect(recent).toHaveCount(6);
  // Pages are server-rendered (islands): a menu link loads the next page, which hydrates too.
  await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Factsheets" }).click();
  await expect(page).toHaveURL(/\/factsheets$/);
  await hydrated(page);
  await expect(page.locator("#factsheet-list > li").first()).toBeVisible();
  // The Content-Security-Policy lets hydration run and blocks nothing of ours.
  expect(errors).toEqual([]);
});

test("filter reacts instantly after hydration", async ({ page }) => {
  await page.goto("/factsheets");
  await hydrated(page);
  const cards = page.locator("#factsheet-list > li");
  const total = await cards.count();
  expect(total).toBeGreaterThanOrEqual(8);
  await page.evaluate(() => ((window as any).stillSamePage = true));

  await page.getByLabel("Fenomeen").selectOption("jihadisme");
  await expect(page).toHaveURL(/\?fenomeen=jihadisme$/);
  await expect(cards.filter({ hasText: "Jihadisme" }).first()).toBeVisible();
  await expect(cards.filter({ hasText: "Links-extremisme" })).toHaveCount(0);
  const filtered = await cards.count();
  expect(filtered).toBeLessThan(total);

  await page.getByLabel("Werkterrein").selectOption("onderwijs");
  await expect(page).toHaveURL(/\?fenomeen=jihadisme&doelgroep=onderwijs$/);
  expect(await page.evaluate(() => (window as any).stillSamePage)).toBe(true);

  await page.getByRole("link", { name: "Alle filters wissen" }).click();
  await expect(cards).toHaveCount(total);
  await expect(page.getByLabel("Fenomeen")).toHaveValue("");
});

test("a factsheet shows its metadata, sources and table of contents", async ({ page }) => {
  await page.goto("/factsheets/signalen-herkennen");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Signalen van radicalisering herkennen");
  const meta = page.getByRole("complementary", { name: "Over deze factsheet" });
  await expect(meta).toContainText("Eigenaar");
  await expect(meta).toContainText("Laatst gecontroleerd");
  await expect(meta).toContainText("Volgende controle");
  expect(await meta.locator(".sources a").count()).toBeGreaterThanOrEqual(3);

  const toc = page.getByRole("navigation", { name: "Inhoud" });
  const entries = toc.locator("a");
  expect(await entries.count()).toBeGreaterThanOrEqual(4);
  // Every TOC entry points at a heading that exists.
  for (const href of await entries.evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
    await expect(page.locator(`.prose ${href}`)).toHaveCount(1);
  }
  await hydrated(page);
  const first = entries.first();
  const target = await first.getAttribute("href");
  await first.click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  await expect(page.locator(".prose table").first()).toBeVisible();
  await expect(page.locator(".prose .footnote-definition").first()).toBeAttached();
});

test("an overdue factsheet says it is being reviewed", async ({ page }) => {
  await page.goto("/factsheets/anti-institutioneel-extremisme");
  await expect(page.getByRole("note")).toContainText("Deze factsheet wordt herzien");
});

test("unknown pages get a Dutch 404", async ({ page }) => {
  const response = await page.goto("/factsheets/bestaat-niet");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pagina niet gevonden");
  const other = await page.goto("/iets/anders");
  expect(other?.status()).toBe(404);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the filter form works through query parameters", async ({ page }) => {
    await page.goto("/factsheets");
    const cards = page.locator("#factsheet-list > li");
    const total = await cards.count();
    await page.getByLabel("Fenomeen").selectOption("rechts-extremisme");
    await page.getByRole("button", { name: "Filter toepassen" }).click();
    await expect(page).toHaveURL(/\/factsheets\?fenomeen=rechts-extremisme&doelgroep=$/);
    await expect(cards.filter({ hasText: "Rechts-extremisme" }).first()).toBeVisible();
    expect(await cards.count()).toBeLessThan(total);
    await expect(page.getByLabel("Fenomeen")).toHaveValue("rechts-extremisme");
    await page.getByRole("link", { name: "Jihadisme" }).first().isVisible();
  });

  test("a factsheet is complete without JavaScript", async ({ page }) => {
    await page.goto("/factsheets/doorverwijzen");
    await expect(page.getByRole("navigation", { name: "Inhoud" })).toBeVisible();
    await expect(page.locator(".factsheet-meta").getByText("Laatst gecontroleerd")).toBeVisible();
    await expect(page.locator(".factsheet-meta").getByText("Volgende controle")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Gerelateerde factsheets" })).toBeVisible();
    await expect(page.locator(".related .card")).toHaveCount(3);
  });
});

for (const path of ["/", "/factsheets", "/factsheets/jihadisme"]) {
  test(`no accessibility violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });
}

test("visitor pages load only the visitors' WASM bundle, without console errors", async ({ page }) => {
  const wasm: string[] = [];
  const errors: string[] = [];
  page.on("request", (request) => request.url().endsWith(".wasm") && wasm.push(new URL(request.url()).pathname));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  for (const path of ["/", "/factsheets", "/factsheets/jihadisme", "/modules/van-signaal-naar-handelen/radicalisering-als-proces"]) {
    await page.goto(path);
    await hydrated(page);
  }
  expect([...new Set(wasm)]).toEqual(["/pkg/leerplatform.wasm"]);
  expect(errors).toEqual([]);
});

test("a page seen before keeps its style and hydrates on reload and on a link back", async ({ page }) => {
  const blocked: string[] = [];
  page.on("console", (message) => message.type() === "error" && blocked.push(message.text()));
  // The header's background comes from the stylesheet: without it the header is transparent.
  const styled = async () => {
    await hydrated(page);
    const background = await page
      .locator(".site-header")
      .evaluate((header) => getComputedStyle(header).backgroundColor);
    expect(background).not.toBe("rgba(0, 0, 0, 0)");
  };
  await page.goto("/factsheets");
  await styled();
  // The browser revalidates (If-None-Match) and gets 304: the cached copy must keep its policy.
  await page.reload();
  await styled();
  await page.locator("#factsheet-list > li a").first().click();
  await expect(page).toHaveURL(/\/factsheets\/[a-z-]+$/);
  await styled();
  await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Factsheets" }).click();
  await expect(page).toHaveURL(/\/factsheets$/);
  await styled();
  await page.goBack();
  await styled();
  expect(blocked).toEqual([]);
});
