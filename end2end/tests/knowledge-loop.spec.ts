import { test, expect } from "@playwright/test";
import { axe, loggedIn, mailTo } from "./helpers";
import { screensDir } from "../playwright.config";

const SHOTS = screensDir;

test("knowledge staff see the themes practice brings in and keep a backlog of wanted factsheets, without JavaScript", async ({ browser }) => {
  const editor = await loggedIn(browser, "redacteur2", "Demo Tweede Redacteur", "/redactie", false);
  await editor.getByRole("link", { name: "Thema's uit de praktijk" }).click();
  await expect(editor.getByRole("heading", { level: 1, name: "Thema's uit de praktijk" })).toBeVisible();
  // Every theme is there, with what already covers it; no number where too few groups brought it in.
  const school = editor.locator("#thema-school");
  await expect(school.getByRole("heading", { level: 2, name: "School en onderwijs" })).toBeVisible();
  await expect(editor.getByRole("table", { name: "Thema's in het kort" })).toBeVisible();
  await axe(editor);
  await editor.setViewportSize({ width: 1280, height: 900 });
  await editor.screenshot({ path: `${SHOTS}/1280-redactie-themas.png`, fullPage: true });

  // Nothing typed: the reason at the field, at the theme.
  await school.getByRole("button", { name: "Factsheet gewenst" }).click();
  await expect(editor).toHaveURL(/\/redactie\/themas#thema-school$/);
  await expect(school.locator("#fout-titel")).toHaveText("Beschrijf in een paar woorden welke factsheet nodig is.");
  await axe(editor);
  await school.getByLabel("Welke factsheet is nodig?").fill("Schoolverzuim en radicalisering");
  await school.getByRole("button", { name: "Factsheet gewenst" }).click();
  await expect(editor.getByText("De gewenste factsheet staat op de lijst van de redactie.")).toBeVisible();
  const item = school.locator(".backlog li").filter({ hasText: "Schoolverzuim en radicalisering" });
  await expect(item).toContainText("Open");

  // Declined needs a reason; typed text stays when it is refused.
  await item.locator("summary").click();
  await item.getByLabel("Status", { exact: true }).selectOption("afgewezen");
  await item.getByRole("button", { name: "Opslaan" }).click();
  await expect(item.locator("#fout-reden")).toHaveText("Schrijf op waarom er geen factsheet komt.");
  await expect(item.getByLabel("Status", { exact: true })).toHaveValue("afgewezen");
  await item.getByLabel("Status", { exact: true }).selectOption("in-behandeling");
  await item.getByRole("button", { name: "Opslaan" }).click();
  await expect(editor.getByText("De gewenste factsheet is bijgewerkt.")).toBeVisible();
  await expect(item).toContainText("In behandeling");

  // The editorial overview lists what is still open.
  await editor.goto("/redactie");
  const backlog = editor.locator(".backlog-overview");
  await expect(backlog).toContainText("Schoolverzuim en radicalisering");
  await expect(backlog).toContainText("School en onderwijs · In behandeling");

  await editor.setViewportSize({ width: 390, height: 844 });
  await editor.goto("/redactie/themas");
  expect(await editor.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)).toBe(false);
  await editor.screenshot({ path: `${SHOTS}/390-redactie-themas.png`, fullPage: true });
});

test("the owner of an overdue factsheet is reminded by mail, and the editorial overview says so", async ({ browser }) => {
  // The demo factsheet on anti-institutional extremism was due for review on 1 November 2026.
  const reminder = await mailTo(
    "kennisteam-anti-institutioneel@demo.leerplatform.test",
    "Controledatum verstreken: Anti-institutioneel extremisme",
  );
  expect(reminder.text).toContain("/redactie/documenten/anti-institutioneel-extremisme");
  const editor = await loggedIn(browser, "redacteur2", "Demo Tweede Redacteur", "/redactie");
  const row = editor.getByRole("row").filter({ hasText: "Anti-institutioneel extremisme" }).first();
  await expect(row).toContainText(/aangemaand op \d+ \w+ \d{4}/);
});
