import { test, expect, Page, Browser } from "@playwright/test";
import { axe, completeProfileIfAsked, dutchDate, freshPage, logIn, mailTo, shifted } from "./helpers";
import { screensDir } from "../playwright.config";

const SHOTS = screensDir;

/// A logged-in page for `account` (any new name logs in as a participant).
async function as(browser: Browser, account: string, name: string) {
  const page = await freshPage(browser);
  await page.goto("/trainingen");
  await logIn(page, account);
  await completeProfileIfAsked(page, name);
  return page;
}

function run(page: Page, code: string) {
  return page.locator(`#uitvoering-${code}`);
}

test("the catalogue lists the trainings with their runs and filters without JavaScript", async ({ page }) => {
  await page.goto("/trainingen");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trainingen");
  await expect(page.getByRole("link", { name: "Gespreksvoering bij radicalisering" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Casusoverleg en doorverwijzen in de veiligheidsketen" })).toBeVisible();
  await expect(page.getByText(`nog 12 plaatsen · inschrijving sluit ${dutchDate(shifted("2027-02-15"))}`).first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/1280-trainingen.png`, fullPage: true });
  await axe(page);
  const september = shifted("2027-09-16").slice(0, 7);
  await page.getByLabel("Maand van de eerste bijeenkomst").fill(september);
  await page.getByRole("button", { name: "Filter toepassen" }).click();
  await expect(page).toHaveURL(new RegExp(`maand=${september}`));
  await expect(page.getByRole("link", { name: "Casusoverleg en doorverwijzen in de veiligheidsketen" })).toHaveCount(0);
  await page.goto("/trainingen/gespreksvoering-bij-radicalisering");
  await expect(page.getByText("Rond vooraf de cursus")).toBeVisible();
  await expect(page.getByRole("link", { name: "Van signaal naar handelen" })).toBeVisible();
  await axe(page);
});

test("a participant enrols, sees it on Mijn trainingen and cancels", async ({ browser }) => {
  const page = await as(browser, "lid-een", "Lid Een");
  await page.goto("/trainingen/gespreksvoering-bij-radicalisering");
  await run(page, "2027-voorjaar").getByRole("button", { name: "Inschrijven" }).click();
  await expect(run(page, "2027-voorjaar").getByRole("status")).toHaveText("U bent ingeschreven.");
  // Confirmed: the online session's link is shown now.
  await expect(run(page, "2027-voorjaar").getByRole("link", { name: "online" })).toBeVisible();
  await run(page, "2027-voorjaar").screenshot({ path: `${SHOTS}/1280-uitvoering-ingeschreven.png` });
  await axe(page);
  await page.goto("/trainingen");
  await page.getByRole("main").getByRole("link", { name: "Mijn trainingen" }).click();
  const item = page.locator(".my-training").filter({ hasText: "Gespreksvoering bij radicalisering" });
  await expect(item).toContainText("Status: ingeschreven");
  await expect(item).toContainText(`Kosteloos afmelden kan tot en met ${dutchDate(shifted("2027-02-18"))}.`);
  await page.screenshot({ path: `${SHOTS}/1280-mijn-trainingen.png`, fullPage: true });
  await axe(page);
  // Cancelling asks first, and says until when it is free.
  await item.getByRole("link", { name: "Afmelden" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Afmelden");
  await expect(page.getByText(`Kosteloos afmelden kan tot en met ${dutchDate(shifted("2027-02-18"))}.`)).toBeVisible();
  await axe(page);
  await page.screenshot({ path: `${SHOTS}/1280-afmelden-bevestigen.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/390-afmelden-bevestigen.png`, fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("link", { name: "Nee, terug naar Mijn trainingen" }).click();
  await expect(item).toContainText("Status: ingeschreven");
  await item.getByRole("link", { name: "Afmelden" }).click();
  await page.getByRole("button", { name: "Ja, afmelden" }).click();
  await expect(page.getByRole("status")).toHaveText("U bent afgemeld.");
});

test("a printed training page shows no enrol buttons", async ({ page }) => {
  await page.goto("/trainingen/gespreksvoering-bij-radicalisering");
  await expect(run(page, "2027-voorjaar").getByText("U logt eerst in")).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(run(page, "2027-voorjaar").getByText("U logt eerst in")).toBeHidden();
  for (const button of await page.getByRole("button", { name: /Inschrijven|Aanvraag versturen/ }).all()) {
    await expect(button).toBeHidden();
  }
});

test("a full run waitlists; a freed seat is offered and taken", async ({ browser }) => {
  const trainer = await as(browser, "trainer", "Tom Trainer");
  await trainer.goto("/trainingen/online-radicalisering-en-memes-duiden/2027-voorjaar/beheer");
  await trainer.getByLabel("Capaciteit", { exact: true }).fill("1");
  await trainer.getByRole("button", { name: "Capaciteit opslaan" }).click();
  await expect(trainer.getByRole("status")).toHaveText("De capaciteit is nu 1.");
  await axe(trainer);

  const first = await as(browser, "lid-twee", "Lid Twee");
  await first.goto("/trainingen/online-radicalisering-en-memes-duiden");
  await run(first, "2027-voorjaar").getByRole("button", { name: "Inschrijven" }).click();
  await expect(run(first, "2027-voorjaar").getByRole("status")).toHaveText("U bent ingeschreven.");

  const second = await as(browser, "lid-drie", "Lid Drie");
  await second.goto("/trainingen/online-radicalisering-en-memes-duiden");
  await expect(run(second, "2027-voorjaar")).toContainText("vol — wachtlijst");
  await run(second, "2027-voorjaar").getByRole("button", { name: "Inschrijven" }).click();
  await expect(run(second, "2027-voorjaar").getByRole("status")).toContainText("wachtlijst op plaats 1");

  // The trainer sees both, and the mix exactly: the roster beside it names everyone ("< 5" would hide nothing).
  await trainer.reload();
  await expect(trainer.getByRole("region", { name: "Ingeschreven deelnemers" })).toContainText("Lid Twee");
  await expect(trainer.getByRole("region", { name: "Wachtlijst op volgorde" })).toContainText("Lid Drie");
  const mix = trainer.getByRole("region", { name: "Bezette plaatsen per werkterrein" });
  await expect(mix).not.toContainText("< 5");
  await expect(mix.getByRole("cell", { name: "1", exact: true }).first()).toBeVisible();

  await first.goto("/mijn/trainingen");
  await first.locator(".my-training").filter({ hasText: "Online radicalisering" }).getByRole("link", { name: "Afmelden" }).click();
  await first.getByRole("button", { name: "Ja, afmelden" }).click();
  await expect(first.getByRole("status")).toHaveText("U bent afgemeld.");

  // The offer arrives by mail; its link leads to the page with the button (a GET changes nothing).
  const mail = await mailTo("lid-drie@demo.leerplatform.test", "Er is een plaats voor u");
  expect(mail.text).toContain("Neem haar aan of sla haar af vóór");
  expect(mail.text).not.toContain("Lid Twee");
  const link = mail.text.match(/http:\/\/127\.0\.0\.1:\d+\/mijn\/trainingen/);
  expect(link).not.toBeNull();
  await second.goto(link![0]);
  const offer = second.locator(".my-training").filter({ hasText: "Online radicalisering" });
  await expect(offer).toContainText("er staat een plaats voor u klaar");
  await axe(second);
  await offer.getByRole("button", { name: "Plaats aannemen" }).click();
  await expect(second.getByRole("status")).toHaveText("U heeft de plaats aangenomen: u bent ingeschreven.");
  await expect(second.locator(".my-training").filter({ hasText: "Online radicalisering" })).toContainText("Status: ingeschreven");
});

test("a request with intake waits for the trainer, who approves it", async ({ browser }) => {
  const applicant = await as(browser, "lid-vier", "Lid Vier");
  await applicant.goto("/trainingen/casusoverleg-en-doorverwijzen");
  const section = run(applicant, "2027-voorjaar");
  // An unanswered question is refused by the browser; the answers go with the request.
  await section.getByLabel("Welke rol heeft u in het casusoverleg?").selectOption("Procesregisseur");
  for (const group of await section.locator("fieldset.field").all()) {
    await group.getByLabel("Ja").check();
  }
  await section.getByLabel("Wat wilt u na de training anders doen?").fill("Eerder ketenpartners betrekken.");
  await section.screenshot({ path: `${SHOTS}/1280-intake.png` });
  await axe(applicant);
  await section.getByRole("button", { name: "Aanvraag versturen" }).click();
  await expect(run(applicant, "2027-voorjaar").getByRole("status")).toContainText("Uw aanvraag is ontvangen");

  const trainer = await as(browser, "trainer", "Tom Trainer");
  await trainer.goto("/trainingen/casusoverleg-en-doorverwijzen/2027-voorjaar/beheer");
  const request = trainer.locator(".request").filter({ hasText: "Lid Vier" });
  await expect(request).toContainText("Eerder ketenpartners betrekken.");
  await trainer.screenshot({ path: `${SHOTS}/1280-uitvoering-beheer.png`, fullPage: true });
  await axe(trainer);
  await request.getByRole("button", { name: "Goedkeuren" }).click();
  await expect(trainer.getByRole("status")).toHaveText("Goedgekeurd: de deelnemer is ingeschreven.");

  await applicant.goto("/mijn/trainingen");
  await expect(applicant.locator(".my-training").filter({ hasText: "Casusoverleg" })).toContainText("Status: ingeschreven");
  const approved = await mailTo("lid-vier@demo.leerplatform.test", "Aanvraag goedgekeurd");
  expect(approved.html).toContain("u bent ingeschreven");

  // The admin sees the mail that went out: kind, recipient and state, never the text.
  const admin = await as(browser, "beheerder", "Bea Beheerder");
  await admin.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Gebruikers" }).click();
  await admin.getByRole("navigation", { name: "Beheer" }).getByRole("link", { name: "E-mail" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText("Verstuurde e-mail");
  const row = admin.getByRole("row").filter({ hasText: "lid-vier@demo.leerplatform.test" }).filter({ hasText: "Aanvraag goedgekeurd" });
  await expect(row).toContainText("Verstuurd");
  await admin.screenshot({ path: `${SHOTS}/1280-beheer-mail.png`, fullPage: true });
  await axe(admin);
});

test("a trainer adds a run in the browser; a wrong field is explained next to it", async ({ browser }) => {
  const trainer = await as(browser, "trainer", "Tom Trainer");
  await trainer.goto("/trainingen/gespreksvoering-bij-radicalisering");
  await trainer.getByRole("link", { name: "Uitvoering toevoegen" }).click();
  await expect(trainer.getByRole("heading", { level: 1 })).toHaveText("Nieuwe uitvoering");
  await trainer.getByLabel("Code").fill("2028-voorjaar");
  await trainer.getByLabel("Capaciteit").fill("0");
  await trainer.getByLabel("Inschrijving opent").fill(shifted("2027-05-01"));
  await trainer.getByLabel("Inschrijving sluit").fill(shifted("2027-08-15"));
  const first = trainer.getByRole("group", { name: "Bijeenkomst 1" });
  await first.getByLabel("Datum").fill(shifted("2027-09-02"));
  await first.getByLabel("Begin").fill("09:30");
  await first.getByLabel("Einde").fill("16:30");
  await first.getByLabel("Plaats of 'online'").fill("Utrecht");
  await trainer.getByRole("button", { name: "Uitvoering opslaan" }).click();
  // Refused: the message sits at the field, and everything typed is still there.
  await expect(trainer.locator("#fout-capacity")).toHaveText("Een heel getal van 1 tot en met 1000.");
  await expect(trainer.getByLabel("Code")).toHaveValue("2028-voorjaar");
  await expect(trainer.getByRole("group", { name: "Bijeenkomst 1" }).getByLabel("Plaats of 'online'")).toHaveValue("Utrecht");
  await trainer.screenshot({ path: `${SHOTS}/1280-uitvoering-nieuw-fout.png`, fullPage: true });
  await axe(trainer);
  await trainer.getByLabel("Capaciteit").fill("14");
  await trainer.getByRole("button", { name: "Uitvoering opslaan" }).click();
  await expect(trainer.getByRole("status")).toContainText("De uitvoering is toegevoegd.");
  await expect(trainer.getByRole("heading", { level: 1 })).toHaveText("Uitvoering 2028-voorjaar");
  await trainer.getByRole("link", { name: "Gegevens en bijeenkomsten bewerken" }).click();
  // The trainer is ticked among the platform's trainers (chosen, not typed).
  await expect(trainer.locator('input[name="trainers[trainer]"]')).toBeChecked();
  await axe(trainer);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the whole enrolment works with plain forms", async ({ page }) => {
    await page.goto("/trainingen/gespreksvoering-bij-radicalisering");
    // Not logged in: enrolling goes to the login and back to the training.
    await run(page, "2027-voorjaar").getByRole("button", { name: "Inschrijven" }).click();
    await page.locator('input[name="login"]').fill("lid-zonder-js");
    await page.locator('input[name="password"]').fill("demo");
    await page.locator('button[type="submit"]').click();
    await completeProfileIfAsked(page, "Lid Zonder Script");
    await expect(page).toHaveURL(/\/trainingen\/gespreksvoering-bij-radicalisering/);
    await run(page, "2027-voorjaar").getByRole("button", { name: "Inschrijven" }).click();
    await expect(run(page, "2027-voorjaar").getByRole("status")).toHaveText("U bent ingeschreven.");
    await page.goto("/mijn/trainingen");
    const item = page.locator(".my-training").filter({ hasText: "Gespreksvoering" });
    await item.getByRole("link", { name: "Afmelden" }).click();
    await page.getByRole("button", { name: "Ja, afmelden" }).click();
    await expect(page.getByRole("status")).toHaveText("U bent afgemeld.");
  });
});

test("a trainer finds the runs they give under Mijn uitvoeringen, without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const trainer = await context.newPage();
  await trainer.goto("/trainingen");
  await logIn(trainer, "trainer");
  await completeProfileIfAsked(trainer, "Tom Trainer");
  const account = trainer.getByRole("navigation", { name: "Account" });
  await expect(account.getByRole("link", { name: "Mijn trainingen" })).toHaveCount(0);
  await account.getByRole("link", { name: "Mijn uitvoeringen" }).click();
  await expect(trainer).toHaveURL(/\/mijn\/uitvoeringen$/);
  await expect(trainer.getByRole("heading", { level: 1 })).toHaveText("Mijn uitvoeringen");
  const title = "Gespreksvoering bij radicalisering · 2027-voorjaar";
  const card = trainer.getByRole("region", { name: "Komend en bezig" }).getByRole("listitem").filter({ hasText: title });
  await expect(card.getByText(/\d+ van 12 plaatsen bezet \(\d+ %\)/)).toBeVisible();
  await expect(card.getByText(`Volgende bijeenkomst: ${dutchDate(shifted("2027-03-04"))}, 09:30–16:30, Utrecht`)).toBeVisible();
  await card.getByRole("link", { name: title }).click();
  await expect(trainer).toHaveURL(/\/trainingen\/gespreksvoering-bij-radicalisering\/2027-voorjaar\/beheer$/);
  // An empty Mijn trainingen does not invite a trainer to enrol as if they were a participant.
  await trainer.goto("/mijn/trainingen");
  await expect(trainer.getByText("De uitvoeringen die u geeft staan op")).toBeVisible();
  await context.close();

  // Looked at as a person would, at both widths, and checked by axe (which needs JavaScript).
  const looked = await as(browser, "trainer", "Tom Trainer");
  await looked.goto("/mijn/uitvoeringen");
  await looked.screenshot({ path: `${SHOTS}/1280-mijn-uitvoeringen.png`, fullPage: true });
  await axe(looked);
  await looked.setViewportSize({ width: 390, height: 844 });
  await looked.screenshot({ path: `${SHOTS}/390-mijn-uitvoeringen.png`, fullPage: true });
  expect(await looked.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("a participant's header leads to Mijn trainingen, and Mijn uitvoeringen is not theirs", async ({ browser }) => {
  const participant = await as(browser, "kim-uitvoering", "Kim de Vries");
  const account = participant.getByRole("navigation", { name: "Account" });
  await expect(account.getByRole("link", { name: "Mijn uitvoeringen" })).toHaveCount(0);
  // Not in any intervision group: the closed part is not in the menu.
  await expect(participant.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Intervisie" })).toHaveCount(0);
  await account.getByRole("link", { name: "Mijn trainingen" }).click();
  await expect(participant.getByRole("heading", { level: 1 })).toHaveText("Mijn trainingen");
  const refused = await participant.goto("/mijn/uitvoeringen");
  expect(refused?.status()).toBe(403);
});

test("a coordinator oversees every run and filters them, without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const admin = await context.newPage();
  await admin.goto("/beheer/gebruikers");
  await logIn(admin, "beheerder");
  await completeProfileIfAsked(admin, "Bea Beheer");
  await admin.goto("/beheer/gebruikers");
  await admin.getByRole("navigation", { name: "Beheer" }).getByRole("link", { name: "Trainingen" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText("Trainingen beheren");
  await expect(admin.getByRole("heading", { name: "Vandaag en deze week" })).toBeVisible();
  await admin.getByLabel("Training", { exact: true }).selectOption({ label: "Gespreksvoering bij radicalisering" });
  await admin.getByLabel("Welke uitvoeringen").selectOption({ label: "Komend en bezig" });
  await admin.getByRole("button", { name: "Filter toepassen" }).click();
  await expect(admin).toHaveURL(/training=gespreksvoering-bij-radicalisering&toon=actueel/);
  const cards = admin.locator(".trainer-runs > li");
  await expect(cards.first()).toContainText("Gespreksvoering bij radicalisering · 2027-voorjaar");
  for (const text of await cards.allTextContents()) {
    expect(text).toContain("Gespreksvoering bij radicalisering");
  }
  await context.close();

  const looked = await as(browser, "beheerder", "Bea Beheer");
  await looked.goto("/beheer/trainingen");
  await looked.screenshot({ path: `${SHOTS}/1280-beheer-trainingen.png`, fullPage: true });
  await axe(looked);
  await looked.setViewportSize({ width: 390, height: 844 });
  expect(await looked.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("a trainer writes to the run's participants, without JavaScript; refused, nothing typed is lost", async ({ browser }) => {
  const participant = await as(browser, "lid-bericht", "Lid Bericht");
  await participant.goto("/trainingen/gespreksvoering-bij-radicalisering");
  await run(participant, "2027-voorjaar").getByRole("button", { name: "Inschrijven" }).click();
  await expect(run(participant, "2027-voorjaar").getByRole("status")).toHaveText("U bent ingeschreven.");

  const context = await browser.newContext({ javaScriptEnabled: false });
  const trainer = await context.newPage();
  await trainer.goto("/mijn/uitvoeringen");
  await logIn(trainer, "trainer");
  await completeProfileIfAsked(trainer, "Tom Trainer");
  await trainer.goto("/trainingen/gespreksvoering-bij-radicalisering/2027-voorjaar/beheer");
  const section = trainer.getByRole("region", { name: "Bericht aan de deelnemers" });
  await section.getByLabel("Bericht").fill("De tweede bijeenkomst is in lokaal 2.14. Neem een casus mee.");
  await section.getByRole("button", { name: "Bericht versturen" }).click();
  await expect(trainer.getByRole("alert")).toContainText("Onderwerp: Geef het bericht een onderwerp.");
  await expect(section.getByLabel("Bericht")).toHaveValue("De tweede bijeenkomst is in lokaal 2.14. Neem een casus mee.");
  await section.getByLabel("Onderwerp").fill("Ander lokaal");
  await section.getByRole("button", { name: "Bericht versturen" }).click();
  await expect(trainer.getByRole("status").first()).toContainText(/Uw bericht is verstuurd aan \d+ (persoon|personen)\./);
  await expect(section.getByRole("row").filter({ hasText: "Ander lokaal" })).toContainText("de ingeschreven deelnemers");
  await context.close();
  const mail = await mailTo("lid-bericht@demo.leerplatform.test", "Ander lokaal");
  expect(mail.text).toContain("Neem een casus mee.");
  expect(mail.text).toContain("Gespreksvoering bij radicalisering");

  const looked = await as(browser, "trainer", "Tom Trainer");
  await looked.goto("/trainingen/gespreksvoering-bij-radicalisering/2027-voorjaar/beheer#berichten");
  await looked.getByRole("region", { name: "Bericht aan de deelnemers" }).screenshot({ path: `${SHOTS}/1280-uitvoering-bericht.png` });
  await axe(looked);
  await looked.setViewportSize({ width: 390, height: 844 });
  await looked.getByRole("region", { name: "Bericht aan de deelnemers" }).screenshot({ path: `${SHOTS}/390-uitvoering-bericht.png` });
  expect(await looked.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("a coordinator finds a person and enrols them on their behalf, without JavaScript", async ({ browser }) => {
  await as(browser, "lid-namens", "Lid Namens");
  const context = await browser.newContext({ javaScriptEnabled: false });
  const admin = await context.newPage();
  await admin.goto("/beheer/gebruikers");
  await logIn(admin, "beheerder");
  await completeProfileIfAsked(admin, "Bea Beheer");
  await admin.goto("/beheer/trainingen");
  await admin.getByRole("navigation", { name: "Beheer" }).getByRole("link", { name: "Deelnemers zoeken" }).click();
  await admin.getByLabel("Naam of organisatie").fill("lid namens");
  await admin.getByRole("button", { name: "Zoeken" }).click();
  const card = admin.getByRole("region", { name: "Lid Namens" });
  await expect(card.getByText("Geen inschrijvingen.")).toBeVisible();
  await card.getByText("Lid Namens inschrijven voor een uitvoering").click();
  await card.getByRole("button", { name: "Inschrijven" }).click();
  // Refused: both reasons at their fields, the card open again.
  await expect(card.getByText("Kies een uitvoering.")).toBeVisible();
  await expect(card.getByText(/Geef een reden van minstens 10 tekens/)).toBeVisible();
  await card.getByLabel("Uitvoering").selectOption({ label: "Gespreksvoering bij radicalisering — 2027-voorjaar" });
  await card.getByLabel(/Reden/).fill("Aangemeld door de teamleider per telefoon.");
  await card.getByRole("button", { name: "Inschrijven" }).click();
  await expect(card.getByRole("status")).toContainText("Ingeschreven voor 2027-voorjaar: ingeschreven.");
  await expect(card.getByRole("row").filter({ hasText: "2027-voorjaar" })).toContainText("Ingeschreven");
  await context.close();
  await mailTo("lid-namens@demo.leerplatform.test", "Ingeschreven: Gespreksvoering bij radicalisering");

  const looked = await as(browser, "beheerder", "Bea Beheer");
  await looked.goto("/beheer/trainingen/personen?q=lid+namens");
  await looked.screenshot({ path: `${SHOTS}/1280-beheer-personen.png`, fullPage: true });
  await axe(looked);
  await looked.setViewportSize({ width: 390, height: 844 });
  await looked.screenshot({ path: `${SHOTS}/390-beheer-personen.png`, fullPage: true });
  expect(await looked.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
