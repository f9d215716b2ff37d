import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { completeProfileIfAsked, freshPage, hydrated, logIn, shifted } from "./helpers";
import { screensDir } from "../playwright.config";

test("an editor writes a factsheet with live preview, a second editor publishes it", async ({ browser }) => {
  const anna = await freshPage(browser);
  await anna.goto("/");
  await logIn(anna, "redacteur");
  await completeProfileIfAsked(anna, "Anna Redacteur");
  // Staff pages load the staff bundle, which holds the editor's island.
  const bundle = anna.waitForRequest((request) => request.url().endsWith(".wasm"));
  await anna.goto("/redactie");
  expect(new URL((await bundle).url()).pathname).toBe("/pkg/leerplatform-redactie.wasm");
  await anna.getByRole("link", { name: "Nieuwe factsheet" }).click();
  await expect(anna.getByRole("heading", { level: 1 })).toHaveText("Nieuwe factsheet");
  await hydrated(anna);

  // Saving an empty form lists every missing field at once, and the list takes the focus.
  await anna.getByRole("button", { name: "Opslaan" }).click();
  const summary = anna.locator("#foutoverzicht");
  await expect(summary).toBeFocused();
  for (const line of ["Titel: ", "Samenvatting: ", "Fenomenen: ", "Eigenaar (team): ", "Bronnen: "]) {
    await expect(summary).toContainText(line);
  }
  await expect(summary).not.toContainText("reviewed_on");
  await anna.screenshot({ path: `${screensDir}/1280-editor-foutoverzicht.png` });

  // The slug follows the title until it is typed in.
  await anna.getByLabel("Titel", { exact: true }).fill("Complotdenken in de klas");
  await expect(anna.getByLabel("Slug (adres)")).toHaveValue("complotdenken-in-de-klas");
  await anna.getByLabel("Samenvatting").fill("Hoe docenten in gesprek gaan over complottheorieën.");
  await anna.getByLabel("Anti-institutioneel extremisme").check();
  await anna.getByLabel("Onderwijs", { exact: true }).check();
  await anna.getByLabel("Eigenaar (team)").fill("Kennisteam Onderwijs");
  await anna.getByLabel("Laatst gecontroleerd").fill(shifted("2026-11-01"));
  // A review date before the last check: the importer's rule, shown next to the field.
  await anna.getByLabel("Volgende controle").fill(shifted("2025-01-01"));
  await anna.getByLabel("Bron 1 – titel").fill("NCTV: Dreigingsbeeld");
  await anna.getByLabel("Bron 1 – adres (https://…)").fill("https://www.nctv.nl");
  const body = anna.getByLabel("Tekst (Markdown)");
  await body.fill("## Het gesprek\n\nBlijf nieuwsgierig naar **wantrouwen** in de klas.\n\n<script>window.hacked = 1</script>\n\n[klik](javascript:alert(1))");

  // The live preview renders and sanitises in the browser, as the public page does.
  const preview = anna.locator("#voorbeeld");
  await expect(preview.getByRole("heading", { name: "Het gesprek" })).toBeVisible();
  await expect(preview.locator("strong")).toHaveText("wantrouwen");
  expect(await preview.innerHTML()).not.toContain("<script");
  expect(await preview.innerHTML()).not.toContain("javascript:");

  await anna.getByRole("button", { name: "Opslaan" }).click();
  await expect(anna.locator("#fout-review_due")).toContainText("na de laatste controle");
  await expect(anna.getByLabel("Titel", { exact: true })).toHaveValue("Complotdenken in de klas");
  await expect(anna.getByLabel("Tekst (Markdown)")).toHaveValue(/wantrouwen/);

  await anna.getByLabel("Volgende controle").fill(shifted("2027-11-01"));
  await anna.getByRole("button", { name: "Opslaan" }).click();
  await expect(anna).toHaveURL(/\/redactie\/documenten\/complotdenken-in-de-klas$/);
  await expect(anna.getByText("Opgeslagen als versie 1.")).toBeVisible();
  await anna.getByRole("button", { name: "Ter beoordeling aanbieden" }).click();
  await expect(anna.getByText("Status: Ter beoordeling")).toBeVisible();
  await expect(anna.getByRole("button", { name: "Goedkeuren en publiceren" })).toHaveCount(0);
  await expect(anna.getByText("wie eraan heeft meegewerkt, kan hem niet goedkeuren")).toBeVisible();

  // Not yet public.
  const before = await anna.goto("/factsheets/complotdenken-in-de-klas");
  expect(before?.status()).toBe(404);

  const bart = await freshPage(browser);
  await bart.goto("/");
  await logIn(bart, "redacteur2");
  await completeProfileIfAsked(bart, "Bart Redacteur");
  await bart.goto("/redactie");
  // What waits for approval is listed first, by name.
  const waiting = bart.getByRole("region", { name: "Wacht op goedkeuring (1)" });
  await bart.screenshot({ path: `${screensDir}/redactie-wacht-op-goedkeuring.png` });
  await expect(waiting).toContainText("Factsheet · Kennisteam Onderwijs");
  await waiting.getByRole("link", { name: "Complotdenken in de klas" }).click();
  await bart.getByRole("button", { name: "Goedkeuren en publiceren" }).click();
  await expect(bart.getByText("Status: Gepubliceerd")).toBeVisible();

  const published = await bart.goto("/factsheets/complotdenken-in-de-klas");
  expect(published?.status()).toBe(200);
  await expect(bart.getByRole("heading", { name: "Het gesprek" })).toBeVisible();
  expect(await bart.evaluate(() => (window as any).hacked)).toBeUndefined();

  await bart.goto("/zoeken?q=complotdenken+wantrouwen");
  await expect(bart.locator(".search-hit").first()).toContainText("Complotdenken in de klas");
  const feed = await bart.request.get("/feed.xml");
  expect(await feed.text()).toContain("/factsheets/complotdenken-in-de-klas");

  // History shows both parties' work; a diff between versions is readable.
  await bart.goto("/redactie/documenten/complotdenken-in-de-klas/geschiedenis");
  await expect(bart.getByRole("cell", { name: "1 (online)" })).toBeVisible();
  await expect(bart.getByRole("cell", { name: "Anna Redacteur" })).toBeVisible();
});

test("a participant cannot reach the editor pages", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto("/");
  await logIn(page, "e2e-lezer");
  await completeProfileIfAsked(page, "Lotte Lezer");
  for (const path of ["/redactie", "/redactie/nieuw", "/redactie/documenten/jihadisme"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Geen toegang");
  }
});

test("the live preview drops every dangerous payload; leaving unsaved work asks first", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto("/");
  await logIn(page, "redacteur");
  await completeProfileIfAsked(page, "Anna Redacteur");
  await page.goto("/redactie/documenten/doorverwijzen");
  await hydrated(page);
  const payloads = [
    "<script>window.hacked = 1</script>",
    '<img src="x" onerror="window.hacked = 2">',
    "[a](javascript:window.hacked=3)",
    "[b](data:text/html,<script>window.hacked=4</script>)",
    '<svg onload="window.hacked = 5"><circle r="1"/></svg>',
    '<iframe src="https://example.org"></iframe>',
    '<a href="#" onclick="window.hacked = 6">klik</a>',
  ].join("\n\n");
  const body = page.getByLabel("Tekst (Markdown)");
  await body.fill(`## Veilig\n\n${payloads}`);
  const preview = page.locator("#voorbeeld");
  await expect(preview.getByRole("heading", { name: "Veilig", exact: true })).toBeVisible();
  const html = await preview.innerHTML();
  for (const forbidden of ["<script", "onerror", "javascript:", "data:text", "<svg", "<iframe", "onclick"]) {
    expect(html, forbidden).not.toContain(forbidden);
  }
  expect(await page.evaluate(() => (window as any).hacked)).toBeUndefined();

  // Typed but not saved: a link inside the app asks first; cancelling stays on the page.
  let asked = "";
  page.on("dialog", async (dialog) => {
    asked = dialog.message();
    await dialog.dismiss();
  });
  await page.locator(".breadcrumb").getByRole("link", { name: "Redactie" }).click();
  await expect.poll(() => asked).toContain("nog niet zijn opgeslagen");
  await expect(page).toHaveURL(/\/redactie\/documenten\/doorverwijzen$/);
  await expect(page.getByLabel("Tekst (Markdown)")).toHaveValue(/## Veilig/);
});

test("history compares the previous version with the newest: fields by their labels, text wrapped", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/");
  await logIn(page, "redacteur");
  await completeProfileIfAsked(page, "Anna Redacteur");
  await page.goto("/redactie/documenten/links-extremisme");
  await hydrated(page);
  await page.getByLabel("Eigenaar (team)").fill("Kennisteam Polarisatie");
  const body = page.getByLabel("Tekst (Markdown)");
  await body.fill((await body.inputValue()) + "\n\nEen nieuwe alinea met een " + "heel ".repeat(60) + "lange regel.");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await expect(page.getByText("Opgeslagen als versie 2.")).toBeVisible();

  await page.getByRole("link", { name: "Geschiedenis en verschillen" }).click();
  await expect(page.getByRole("heading", { name: "Versie 1 vergeleken met versie 2" })).toBeVisible();
  const fields = page.getByRole("table", { name: "Gewijzigde velden" });
  await expect(fields.getByRole("row", { name: /Eigenaar \(team\)/ })).toContainText("Kennisteam Polarisatie");
  await expect(fields).not.toContainText("owner");
  // The long line wraps inside the page; the text diff is reachable by keyboard.
  const diff = page.getByLabel("Verschillen in de tekst");
  await expect(diff).toContainText("lange regel.");
  const box = await diff.boundingBox();
  expect(await diff.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  expect(box!.width).toBeLessThanOrEqual(1280);
  await expect(diff).toHaveAttribute("tabindex", "0");
  await expect(page.getByRole("cell", { name: "Anna Redacteur" })).toBeVisible();
  await page.screenshot({ path: `${screensDir}/1280-geschiedenis.png`, fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
});
