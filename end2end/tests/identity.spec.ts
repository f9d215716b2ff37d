import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { completeProfileIfAsked, freshPage, hydrated, logIn } from "./helpers";
import { baseURL, platformRolesURL } from "../playwright.config";

async function completeProfile(page: Page, name: string) {
  await expect(page).toHaveURL(/\/profiel\?volgende=/);
  await page.getByLabel("Naam").fill(name);
  await page.getByLabel("Organisatie").fill("Gemeente Zwolle");
  await page.getByLabel("Werkterrein").selectOption("gemeente");
  await page.getByRole("button", { name: "Profiel opslaan" }).click();
  await expect(page).not.toHaveURL(/\/profiel\?volgende=/);
}

test("log in, complete the profile, see the name, log out", async ({ page, context }) => {
  await page.goto("/factsheets/jihadisme");
  await hydrated(page);
  await logIn(page, "deelnemer");
  // First login: the profile form, with a way back to the factsheet.
  await expect(page.getByRole("heading", { level: 1, name: "Mijn profiel" })).toBeVisible();
  await expect(page.getByText("Welkom op het leerplatform")).toBeVisible();
  // The name comes prefilled from the login provider; the user may change it.
  await expect(page.getByLabel("Naam")).toHaveValue("Demo Deelnemer");
  await hydrated(page);

  // A wrong BIG number is reported next to its field; nothing typed is lost.
  await page.getByLabel("Naam").fill("Fatima El Amrani");
  await page.getByLabel("Organisatie").fill("Gemeente Zwolle");
  await page.getByLabel("Werkterrein").selectOption("sociaal-domein");
  await page.getByLabel("Register").first().selectOption("big");
  await page.getByLabel("Registratienummer").first().fill("123");
  await page.getByRole("button", { name: "Profiel opslaan" }).click();
  const numberError = page.locator('[id="fout-registers.0.number"]');
  await expect(numberError).toContainText("precies 11 cijfers");
  await expect(page.getByLabel("Registratienummer").first()).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Naam")).toHaveValue("Fatima El Amrani");

  await page.getByLabel("Registratienummer").first().fill("123 4567 8901");
  await page.getByRole("button", { name: "Profiel opslaan" }).click();
  // Saved: straight on to the factsheet where the login started.
  await expect(page).toHaveURL(/\/factsheets\/jihadisme$/);
  const account = page.getByRole("navigation", { name: "Account" });
  await expect(account.getByRole("link", { name: "Fatima El Amrani" })).toBeVisible();
  await page.goto("/profiel");
  await expect(page.getByLabel("Registratienummer").first()).toHaveValue("12345678901");

  // The session cookie is HttpOnly, SameSite=Lax, and no token reached the page.
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "leerplatform_sessie");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  expect(await page.content()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);

  // The data export is a JSON download with the profile.
  await page.goto("/profiel");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Mijn gegevens downloaden" }).click(),
  ]);
  const exported = JSON.parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString()));
  expect(exported.profiel.naam).toBe("Fatima El Amrani");

  await page.getByRole("button", { name: "Uitloggen" }).click();
  // Via the provider's logout (its session ends too) back to the platform.
  await expect(page).toHaveURL(`${baseURL}/?uitgelogd`);
  await expect(page.getByRole("status").filter({ hasText: "U bent uitgelogd." })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Inloggen" })).toBeVisible();
  await page.goto("/profiel");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inloggen nodig");
});

test("an editor sees editor links, a participant does not", async ({ browser }) => {
  const editor = await freshPage(browser);
  await editor.goto("/");
  await logIn(editor, "redacteur");
  await completeProfileIfAsked(editor, "Ruben Redacteur");
  const editorNav = editor.getByRole("navigation", { name: "Account" });
  await expect(editorNav.getByRole("link", { name: "Redactie" })).toBeVisible();
  await expect(editorNav.getByRole("link", { name: "Gebruikers" })).toHaveCount(0);
  await editorNav.getByRole("link", { name: "Redactie" }).click();
  await expect(editor.getByRole("heading", { level: 1, name: "Redactie" })).toBeVisible();
  // The overdue factsheet comes first.
  await expect(editor.locator("tr.overdue").first()).toContainText("Anti-institutioneel");

  const participant = await freshPage(browser);
  await participant.goto("/");
  await logIn(participant, "deelnemer");
  await participant.goto("/");
  const participantNav = participant.getByRole("navigation", { name: "Account" });
  await expect(participantNav.getByRole("button", { name: "Uitloggen" })).toBeVisible();
  await expect(participantNav.getByRole("link", { name: "Redactie" })).toHaveCount(0);
  const response = await participant.goto("/redactie");
  expect(response?.status()).toBe(403);
  await expect(participant.getByRole("heading", { level: 1 })).toHaveText("Geen toegang");
});

test("where the platform manages roles, an admin assigns one and reads the audit log", async ({ browser }) => {
  const participant = await freshPage(browser);
  await participant.goto(`${platformRolesURL}/`);
  await logIn(participant, "deelnemer");
  await completeProfile(participant, "Fatima El Amrani");

  const admin = await freshPage(browser);
  await admin.goto(`${platformRolesURL}/`);
  await logIn(admin, "beheerder");
  await completeProfile(admin, "Bea Beheerder");
  await admin.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Gebruikers" }).click();
  await hydrated(admin);
  const row = admin.getByRole("row").filter({ hasText: "Fatima El Amrani" });
  await row.getByLabel("Trainer").check();
  await row.getByRole("button", { name: "Opslaan" }).click();
  await expect(admin.getByText("De rollen zijn opgeslagen.")).toBeVisible();
  await expect(admin.getByRole("row").filter({ hasText: "Fatima El Amrani" }).getByLabel("Trainer")).toBeChecked();
  // A refused change (one's own admin role) shows the stored state again, not what was clicked.
  const own = admin.getByRole("row").filter({ hasText: "Bea Beheerder" });
  await own.getByLabel("Beheerder").uncheck();
  await own.getByRole("button", { name: "Opslaan" }).click();
  await expect(admin.getByRole("alert")).toContainText("eigen beheerdersrol");
  await expect(admin.getByRole("row").filter({ hasText: "Bea Beheerder" }).getByLabel("Beheerder")).toBeChecked();

  await admin.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Auditlog" }).click();
  await admin.getByLabel("Gebeurtenis", { exact: true }).selectOption("roles_changed");
  await admin.getByRole("button", { name: "Filter toepassen" }).click();
  await expect(admin).toHaveURL(/gebeurtenis=roles_changed/);
  await expect(admin.getByRole("cell", { name: "geen rollen → Trainer (door een beheerder)" })).toBeVisible();
  await expect(admin.getByRole("cell", { name: "Bea Beheerder" }).first()).toBeVisible();
  const results = await new AxeBuilder({ page: admin }).analyze();
  expect(results.violations).toEqual([]);
});

test("where the login service decides roles, the admin page shows them read-only", async ({ browser }) => {
  const admin = await freshPage(browser);
  await admin.goto("/");
  await logIn(admin, "beheerder");
  await completeProfileIfAsked(admin, "Bea Beheerder");
  await admin.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Gebruikers" }).click();
  await expect(admin.getByText("De rollen komen uit de inlogdienst")).toBeVisible();
  await expect(admin.getByRole("checkbox")).toHaveCount(0);
  await expect(admin.getByRole("cell", { name: "Beheerder", exact: true }).first()).toBeVisible();
  const results = await new AxeBuilder({ page: admin }).analyze();
  expect(results.violations).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("log in and fill in the profile with plain forms", async ({ page }) => {
    await page.goto("/");
    await logIn(page, "trainer");
    await expect(page).toHaveURL(/\/profiel\?volgende=/);
    await page.getByLabel("Naam").fill("Tom Trainer");
    await page.getByLabel("Organisatie").fill("Politie Oost-Nederland");
    // Work field left empty: the error comes back next to the field, the rest is kept.
    await page.getByRole("button", { name: "Profiel opslaan" }).click();
    await expect(page.locator("#fout-work_field")).toHaveText("Kies uw werkterrein.");
    await expect(page.getByLabel("Organisatie")).toHaveValue("Politie Oost-Nederland");
    await page.getByLabel("Werkterrein").selectOption("veiligheid");
    await page.getByRole("button", { name: "Profiel opslaan" }).click();
    // On to where the login started (the home page).
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
    await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Tom Trainer" })).toBeVisible();
    await page.getByRole("button", { name: "Uitloggen" }).click();
    // The provider's session ends too: without JavaScript its page asks once.
    await page.getByRole("button", { name: "Ja, uitloggen" }).click();
    await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Inloggen" })).toBeVisible();
    await expect(page.getByText("U bent uitgelogd.")).toBeVisible();
  });
});

test("profile page has no accessibility violations", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto("/");
  await logIn(page, "begeleider");
  await expect(page.getByRole("heading", { level: 1, name: "Mijn profiel" })).toBeVisible();
  await hydrated(page);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
});

test("an expired session says so on the profile form, keeps what was typed and leads back in", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto("/");
  await logIn(page, "redacteur2");
  await completeProfileIfAsked(page, "Rik Redacteur");
  await page.goto("/profiel");
  await hydrated(page);
  await page.getByLabel("Organisatie").fill("Gemeente Zwolle");
  // The session ends (expired, or cleared) while the form is open.
  await page.context().clearCookies();
  await page.getByRole("button", { name: "Profiel opslaan" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Uw sessie is verlopen" });
  await expect(alert).toBeVisible();
  await expect(page.getByLabel("Organisatie")).toHaveValue("Gemeente Zwolle");
  await expect(alert.getByRole("link", { name: "Log opnieuw in" })).toHaveAttribute("href", "/auth/login?next=/profiel");
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
});
