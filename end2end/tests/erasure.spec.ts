import { test, expect } from "@playwright/test";
import { axe, loggedIn } from "./helpers";
import { screensDir } from "../playwright.config";

const SHOTS = screensDir;

test("the privacy register says what is kept and how long; a person without JavaScript has their account erased from the profile", async ({ browser }) => {
  const person = await loggedIn(browser, "wis-mij-graag", "Wim Wissen", "/", false);
  // The register is linked from every page's footer.
  await person.getByRole("link", { name: "Privacy: welke gegevens we bewaren en hoe lang" }).click();
  await expect(person.getByRole("heading", { level: 1, name: "Privacy" })).toBeVisible();
  await expect(person.getByText(/5 jaar nadat de uitvoering is afgesloten/)).toBeVisible();
  await axe(person);
  await person.screenshot({ path: `${SHOTS}/1280-privacy.png`, fullPage: true });
  await person.setViewportSize({ width: 390, height: 844 });
  await person.screenshot({ path: `${SHOTS}/390-privacy.png`, fullPage: true });
  expect(await person.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await person.setViewportSize({ width: 1280, height: 800 });

  await person.goto("/profiel");
  await person.getByRole("link", { name: "Mijn account laten wissen" }).click();
  await expect(person.getByRole("heading", { level: 1, name: "Account laten wissen" })).toBeVisible();
  await expect(person.getByRole("heading", { name: "Wat verdwijnt" })).toBeVisible();
  await expect(person.getByRole("heading", { name: "Wat blijft" })).toBeVisible();
  await axe(person);
  await person.screenshot({ path: `${SHOTS}/1280-account-wissen.png`, fullPage: true });
  await person.setViewportSize({ width: 390, height: 844 });
  await person.screenshot({ path: `${SHOTS}/390-account-wissen.png`, fullPage: true });
  expect(await person.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await person.setViewportSize({ width: 1280, height: 800 });
  await person.getByRole("button", { name: "Mijn account nu wissen" }).click();
  await expect(person.getByRole("heading", { level: 1, name: "Uw account is gewist" })).toBeVisible();
  await axe(person);
  // Logged out: the profile asks for a login again.
  await person.goto("/profiel");
  await expect(person.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Inloggen" })).toBeVisible();
});
