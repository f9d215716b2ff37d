import { test, expect } from "@playwright/test";
import { axe, loggedIn } from "./helpers";
import { screensDir } from "../playwright.config";

const SHOTS = screensDir;

test("coordinators read the reports per year, with charts beside the tables and CSV, without JavaScript", async ({ browser }) => {
  const admin = await loggedIn(browser, "beheerder", "Bea Beheerder", "/beheer/rapportage", false);
  await expect(admin.getByRole("heading", { level: 1, name: /^Rapportage \d{4}$/ })).toBeVisible();
  await expect(admin.getByRole("navigation", { name: "Beheer" }).getByRole("link", { name: "Rapportage" })).toHaveAttribute("aria-current", "page");
  for (const section of ["Trainingen", "Intervisie", "Kennis"]) {
    await expect(admin.getByRole("heading", { level: 2, name: section })).toBeVisible();
  }
  // The knowledge table: the demo's factsheets by phenomenon and audience, small counts as "< 5".
  const factsheets = admin.getByRole("table", { name: /Factsheets per fenomeen en doelgroep/ });
  await expect(factsheets).toContainText("< 5");
  await expect(admin.getByRole("img", { name: /Factsheets per fenomeen en doelgroep/ })).toBeVisible();
  // Every table has its heading, the figures tables (fill rates, completion, evaluations) too.
  for (const title of [
    "Bezetting en wachtlijst per training",
    "Aanwezigheid en afronding per training",
    "Evaluaties per training",
    "Actieve intervisiegroepen",
    "Gebruikte intervisiemethoden",
    "Meest gelezen",
    "Zoekwoorden zonder resultaat",
  ]) {
    await expect(admin.getByRole("heading", { level: 3, name: title, exact: true })).toBeVisible();
  }
  const active = admin.getByRole("table", { name: /Actieve intervisiegroepen/ });
  await expect(active.getByRole("columnheader", { name: "Heel het jaar" })).toBeVisible();
  await axe(admin);
  await admin.setViewportSize({ width: 1280, height: 900 });
  await admin.screenshot({ path: `${SHOTS}/1280-beheer-rapportage.png`, fullPage: true });

  // Another year with the plain form; the CSV link follows the year.
  const previous = String(new Date().getFullYear() - 1);
  await admin.getByLabel("Jaar").selectOption(previous);
  await admin.getByRole("button", { name: "Toon" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: `Rapportage ${previous}` })).toBeVisible();
  const csvLink = admin.getByRole("link", { name: "Inschrijvingen per training als CSV (voor Excel)" });
  await expect(csvLink).toHaveAttribute("href", `/beheer/rapportage/inschrijvingen-per-training.csv?jaar=${previous}`);
  const csv = await admin.request.get(`/beheer/rapportage/factsheets-per-fenomeen.csv?jaar=${previous}`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('"Fenomeen";"Veiligheid"');

  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.goto("/beheer/rapportage");
  expect(await admin.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)).toBe(false);
  await admin.screenshot({ path: `${SHOTS}/390-beheer-rapportage.png`, fullPage: true });
});
