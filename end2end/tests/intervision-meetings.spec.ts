import { test, expect, Page } from "@playwright/test";
import { axe, hydrated, loggedIn, mailTo, platformDay } from "./helpers";
import { screensDir } from "../playwright.config";

const SHOTS = screensDir;

/// A screenshot at 1280 and at 390 px; the narrow page never scrolls sideways.
async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/1280-${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/390-${name}.png`, fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("a facilitator without JavaScript puts a dilemma on a meeting's agenda, starts and switches its method there while a member's page follows; changes the retention; an admin records a late meeting", async ({ browser }) => {
  test.setTimeout(150_000);
  // The facilitator works without JavaScript throughout.
  const facilitator = await loggedIn(browser, "begeleider2", "Bea Begeleider", "/intervisie", false);
  await facilitator.getByLabel("Naam", { exact: true }).fill("Intervisie West");
  await facilitator.getByLabel("Hoogstens zoveel leden").fill("6");
  await facilitator.getByRole("button", { name: "Groep aanmaken" }).click();
  await expect(facilitator.getByRole("heading", { level: 1, name: "Intervisie West" })).toBeVisible();
  const groupUrl = facilitator.url().replace(/#.*$/, "");
  await facilitator.getByRole("button", { name: "Uitnodigingslink maken" }).click();
  const link = (await facilitator.locator(".notice.success a.feed-link").textContent())!;

  // A member with JavaScript joins (and is told by mail) and brings in a dilemma.
  const member = await loggedIn(browser, "agendalid", "Ada Agenda", link);
  await member.getByRole("button", { name: "Lid worden" }).click();
  await member.getByRole("button", { name: "Ik houd mij aan deze afspraken" }).click();
  await expect(member.getByText("Welkom. U heeft de afspraken bevestigd.")).toBeVisible();
  const joined = await mailTo("agendalid@demo.leerplatform.test", "U bent lid van een intervisiegroep");
  expect(joined.text).not.toContain("West");
  await member.getByLabel("Werkterrein").selectOption("zorg");
  await member.getByLabel("Fenomeen").selectOption("jihadisme");
  await member.getByLabel("De situatie").fill("Een cliënt (19) vertelt over een reis die hij wil maken.");
  await member.getByLabel("Het dilemma, als vraag").fill("Moet ik dit melden bij het Zorg- en Veiligheidshuis?");
  await member.getByRole("button", { name: "Dilemma opslaan" }).click();
  await expect(member.getByText("Het dilemma is opgeslagen in het logboek van de groep.")).toBeVisible();
  await member.getByRole("link", { name: "Moet ik dit melden bij het Zorg- en Veiligheidshuis?" }).click();
  const dilemmaUrl = member.url().replace(/#.*$/, "");
  // Before a method starts, the member's page says it will follow.
  await expect(member.getByText("deze pagina volgt zodra die begint")).toBeVisible();
  await hydrated(member);

  // The next meeting, and its agenda.
  await facilitator.goto(groupUrl);
  await facilitator.locator("summary", { hasText: "Bijeenkomsten plannen" }).click().catch(() => {});
  await facilitator.getByLabel("Eerste bijeenkomst").fill(platformDay(7));
  await facilitator.getByLabel("Plaats of 'online'").fill("Utrecht");
  await facilitator.getByLabel("Aantal bijeenkomsten").fill("2");
  await facilitator.getByRole("button", { name: "Bijeenkomsten plannen" }).click();
  await expect(facilitator.getByText("2 bijeenkomsten gepland.")).toBeVisible();
  await facilitator.locator("#bijeenkomsten td a").first().click();
  await expect(facilitator.getByRole("heading", { level: 1, name: /^Bijeenkomst / })).toBeVisible();
  const meetingUrl = facilitator.url().replace(/#.*$/, "");
  await expect(facilitator.locator("#opvolgronde")).toContainText("Geen openstaande actiepunten.");
  await expect(facilitator.locator("#agenda")).toContainText("Er staat nog niets op de agenda.");
  await facilitator.getByLabel("Dilemma op de agenda zetten").selectOption({ label: "Moet ik dit melden bij het Zorg- en Veiligheidshuis?" });
  await facilitator.getByRole("button", { name: "Op de agenda" }).click();
  await expect(facilitator.getByText("Het dilemma staat op de agenda.")).toBeVisible();
  await axe(facilitator);
  await shoot(facilitator, "intervisie-agenda");
  await facilitator.locator("#agenda").getByLabel("Methode").selectOption("incidentmethode");
  await facilitator.locator("#agenda").getByRole("button", { name: "Methode starten" }).click();
  await expect(facilitator.locator("#huidige-stap")).toContainText("Stap 1 van 7: Terugblik");
  await expect(facilitator.getByText("De inbrenger beschrijft kort de ingebrachte situatie")).toBeVisible();
  // The member's open page follows without a reload.
  await expect(member.locator("#huidige-stap")).toContainText("Stap 1 van 7: Terugblik", { timeout: 15_000 });

  // Switching asks first, on a page of its own.
  await facilitator.locator("summary", { hasText: "Opnieuw beginnen of een andere methode" }).click().catch(() => {});
  await facilitator.getByLabel("Methode vanaf de eerste stap").selectOption("roddelmethode");
  await facilitator.getByRole("button", { name: "Bij de eerste stap beginnen" }).click();
  await expect(facilitator.getByRole("heading", { level: 1, name: "Methode opnieuw beginnen of wisselen" })).toBeVisible();
  await expect(facilitator.getByText(/overstappen van de incidentmethode op de roddelmethode/)).toBeVisible();
  await axe(facilitator);
  await shoot(facilitator, "intervisie-methode-wisselen");
  await facilitator.getByRole("button", { name: "Ja, zo beginnen" }).click();
  await expect(facilitator.locator("#huidige-stap")).toContainText("Stap 1 van 5: De vraag");
  await expect(member.locator("#huidige-stap")).toContainText("Stap 1 van 5: De vraag", { timeout: 15_000 });
  await expect(member.locator(".method-steps li")).toHaveCount(5);
  // The meeting records the method used; the member sees the agenda too.
  await facilitator.goto(meetingUrl);
  await expect(facilitator.locator("#agenda")).toContainText("Methode: Roddelmethode");
  await member.goto(meetingUrl);
  await expect(member.locator("#agenda")).toContainText("Methode: Roddelmethode");
  await expect(member.getByRole("button", { name: "Op de agenda" })).toHaveCount(0);
  await axe(member);

  // Retention: a wrong number at its field, as typed; shorter asks first.
  await facilitator.goto(groupUrl);
  await facilitator.locator("summary", { hasText: "Bewaartermijn wijzigen" }).click().catch(() => {});
  await facilitator.getByLabel("Nieuwe bewaartermijn (maanden)").fill("99");
  await facilitator.getByRole("button", { name: "Bewaartermijn wijzigen" }).click();
  await expect(facilitator.locator("#fout-retention")).toHaveText("Vul een getal van 3 tot en met 36 in.");
  await expect(facilitator.getByLabel("Nieuwe bewaartermijn (maanden)")).toHaveValue("99");
  await axe(facilitator);
  await facilitator.getByLabel("Nieuwe bewaartermijn (maanden)").fill("6");
  await facilitator.getByRole("button", { name: "Bewaartermijn wijzigen" }).click();
  await expect(facilitator.getByText(/Wilt u de bewaartermijn verkorten van 12 naar 6 maanden\?/)).toBeVisible();
  await axe(facilitator);
  await shoot(facilitator, "intervisie-bewaartermijn");
  await facilitator.getByRole("button", { name: "Ja, verkorten" }).click();
  await expect(facilitator.getByText("De bewaartermijn is nu 6 maanden; 0 dilemma's zijn verwijderd.")).toBeVisible();
  await expect(facilitator.getByText(/Bewaartermijn: 6 maanden/)).toBeVisible();

  // An admin without JavaScript records a meeting held 40 days ago: every refusal at once first.
  const admin = await loggedIn(browser, "beheerder", "Demo Beheerder", "/beheer/intervisie", false);
  const section = admin.locator("section", { has: admin.getByRole("heading", { name: "Intervisie West" }) });
  await section.locator("summary", { hasText: "Bijeenkomst achteraf vastleggen" }).click().catch(() => {});
  await section.getByRole("button", { name: "Bijeenkomst vastleggen" }).click();
  const again = admin.locator("section", { has: admin.getByRole("heading", { name: "Intervisie West" }) });
  await expect(again.getByText("Kies de datum van de bijeenkomst.")).toBeVisible();
  await expect(again.getByText(/minstens 10 tekens/)).toBeVisible();
  await axe(admin);
  await again.getByLabel("Datum").fill(platformDay(-40));
  await again.getByLabel("Begin").fill("14:00");
  await again.getByLabel("Einde").fill("16:00");
  await again.getByLabel("Reden").fill("Begeleider was ziek; de bijeenkomst is wel doorgegaan.");
  await again.getByRole("button", { name: "Bijeenkomst vastleggen" }).click();
  await expect(admin.getByText(/De bijeenkomst is vastgelegd/)).toBeVisible();
  await shoot(admin, "beheer-intervisie-achteraf");
});
