import { test, expect, Page } from "@playwright/test";
import { axe, hydrated, loggedIn, mailTo, platformDay } from "./helpers";
import { screensDir } from "../playwright.config";

const SHOTS = screensDir;

/// The facilitator's new invitation link, shown once in the answer to the form (in the site's
/// frame), then back to the group page.
async function newInvitation(facilitator: Page): Promise<string> {
  await facilitator.getByRole("button", { name: "Uitnodigingslink maken" }).click();
  await expect(facilitator.getByRole("heading", { level: 1, name: "Uitnodigingslink" })).toBeVisible();
  const link = facilitator.locator(".notice.success a.feed-link");
  await expect(link).toHaveText(/\/uitnodiging\//);
  const text = (await link.textContent())!;
  await facilitator.getByRole("link", { name: "Terug naar de groep" }).click();
  return text;
}

/// Joins through `link` and accepts the agreement.
async function join(member: Page, link: string) {
  await member.goto(link);
  await member.getByRole("button", { name: "Lid worden" }).click();
  await expect(member.getByRole("heading", { name: /Afspraken \(versie 1\)/ })).toBeVisible();
  await member.getByRole("button", { name: "Ik houd mij aan deze afspraken" }).click();
  await expect(member.getByText("Welkom. U heeft de afspraken bevestigd.")).toBeVisible();
}

test("a facilitator starts a group and invites; members join, accept the agreement and log a dilemma past the guard, without JavaScript too", async ({ browser }) => {
  // One long story with five browsers: longer than the default 30 s on two cores.
  test.setTimeout(150_000);
  const facilitator = await loggedIn(browser, "begeleider2", "Bea Begeleider", "/intervisie");
  await expect(facilitator.getByRole("heading", { level: 1, name: "Mijn intervisiegroepen" })).toBeVisible();
  await axe(facilitator);
  // A refused group keeps what was typed.
  await facilitator.getByLabel("Naam", { exact: true }).fill("Intervisie Oost");
  await facilitator.getByLabel("Hoogstens zoveel leden").fill("40");
  await facilitator.getByRole("button", { name: "Groep aanmaken" }).click();
  await expect(facilitator.locator("#fout-max_members")).toHaveText("Vul een getal van 3 tot en met 12 in.");
  await expect(facilitator.getByLabel("Naam", { exact: true })).toHaveValue("Intervisie Oost");
  await facilitator.getByLabel("Hoogstens zoveel leden").fill("6");
  await facilitator.getByRole("button", { name: "Groep aanmaken" }).click();
  await expect(facilitator.getByRole("heading", { level: 1, name: "Intervisie Oost" })).toBeVisible();
  const groupUrl = facilitator.url().replace(/#.*$/, "");
  await axe(facilitator);

  // A member without JavaScript: joins, accepts, and the guard stops a BSN and a phone number.
  const firstLink = await newInvitation(facilitator);
  const member = await loggedIn(browser, "lid-zonder-js", "Mira Mentor", firstLink, false);
  await join(member, firstLink);
  // Once in a group, the main menu leads to it.
  await expect(member.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Intervisie" })).toBeVisible();
  const situation = member.getByLabel("De situatie");
  await member.getByLabel("Werkterrein").selectOption("onderwijs");
  await member.getByLabel("Fenomeen").selectOption("rechts-extremisme");
  await member.getByLabel("School en onderwijs").check();
  await situation.fill("Een leerling (15) met BSN 111222333 deelt memes; de vader belde vanaf 06-12345678.");
  await member.getByLabel("Het dilemma, als vraag").fill("Bespreek ik dit eerst met de ouders of met de wijkagent?");
  await member.getByRole("button", { name: "Dilemma opslaan" }).click();
  await expect(member.locator("#fout-situatie")).toContainText("BSN, telefoonnummer");
  const marks = member.locator("#markering-situatie mark");
  await expect(marks).toHaveCount(2);
  await expect(marks.nth(0)).toContainText("111222333");
  await expect(marks.nth(1)).toContainText("06-12345678");
  await expect(member.locator("#markering-situatie")).toContainText("Laat het BSN weg");
  // Nothing typed is lost, nothing was saved.
  await expect(situation).toHaveValue(/BSN 111222333/);
  await expect(member.getByLabel("Fenomeen")).toHaveValue("rechts-extremisme");
  await expect(member.getByLabel("School en onderwijs")).toBeChecked();
  await expect(member.getByText("Nog geen dilemma's ingebracht.")).toBeVisible();
  await member.screenshot({ path: `${SHOTS}/1280-intervisie-bewaker.png`, fullPage: true });
  await situation.fill("Een leerling (15) deelt memes met verborgen symbolen; de vader belde mij erover.");
  await member.getByRole("button", { name: "Dilemma opslaan" }).click();
  await expect(member.getByText("Het dilemma is opgeslagen in het logboek van de groep.")).toBeVisible();
  // The log names each dilemma by its question.
  await member.getByRole("link", { name: "Bespreek ik dit eerst met de ouders of met de wijkagent?" }).click();
  await expect(member.getByText("Een leerling (15) deelt memes met verborgen symbolen")).toBeVisible();
  const dilemmaUrl = member.url();
  // An action point, which opens the next meeting's follow-up round.
  await member.locator("summary", { hasText: "Actiepunt toevoegen" }).click().catch(() => {});
  await member.getByLabel("Actiepunt", { exact: true }).fill("Gesprek met de mentor plannen");
  await member.getByLabel("Wie", { exact: true }).selectOption({ label: "Mira Mentor" });
  await member.getByRole("button", { name: "Actiepunt toevoegen" }).click();
  await expect(member.getByText(/Het actiepunt is toegevoegd/)).toBeVisible();
  await member.goto(groupUrl);
  await expect(member.locator("#opvolgronde")).toContainText("Gesprek met de mentor plannen");
  await expect(member.locator("#opvolgronde")).toContainText("Mira Mentor");
  // Its owner may mark it; the others in the group see it without that form.
  await expect(member.locator("#opvolgronde").getByRole("button", { name: "Bijwerken" })).toBeVisible();

  // A second member with JavaScript: the agreement first, then the log; the guard's view passes axe.
  const secondLink = await newInvitation(facilitator);
  const second = await loggedIn(browser, "lid-met-js", "Sam Schoolmaatschappelijk", secondLink);
  await second.getByRole("button", { name: "Lid worden" }).click();
  await expect(second.getByRole("button", { name: "Ik houd mij aan deze afspraken" })).toBeVisible();
  await axe(second);
  await second.getByRole("button", { name: "Ik houd mij aan deze afspraken" }).click();
  await expect(second.locator("#opvolgronde")).toContainText("Gesprek met de mentor plannen");
  await expect(second.locator("#opvolgronde").getByRole("button", { name: "Bijwerken" })).toHaveCount(0);
  await expect(second.getByRole("link", { name: "Bespreek ik dit eerst met de ouders of met de wijkagent?" })).toBeVisible();
  await second.getByLabel("De situatie").fill("Mevrouw Bakker van het wijkteam belde.");
  await second.getByRole("button", { name: "Dilemma opslaan" }).click();
  await expect(second.locator("#markering-situatie mark")).toHaveText(/Mevrouw Bakker/);
  await expect(second.getByLabel("Dit zijn geen persoonsnamen. Sla de tekst op zoals hij er staat.")).toBeVisible();
  await second.screenshot({ path: `${SHOTS}/1280-intervisie-naam.png`, fullPage: true });
  await axe(second);
  await second.goto(dilemmaUrl);
  await axe(second);
  // A reply in the thread: the guard again, then the others get a mail that says only that there is news.
  await second.getByLabel("Uw reactie").fill("Bel de mentor op 06-87654321.");
  await second.getByRole("button", { name: "Reactie plaatsen" }).click();
  await expect(second.locator("#markering-reactie mark")).toContainText("06-87654321");
  await expect(second.getByLabel("Uw reactie")).toHaveValue("Bel de mentor op 06-87654321.");
  await second.getByLabel("Uw reactie").fill("Ik zou eerst met de mentor praten over de symbolen.");
  await second.getByRole("button", { name: "Reactie plaatsen" }).click();
  await expect(second.getByText("Uw reactie is geplaatst.")).toBeVisible();
  await expect(second.locator(".thread")).toContainText("Ik zou eerst met de mentor praten over de symbolen.");
  await axe(second);
  const news = await mailTo("lid-zonder-js@demo.leerplatform.test", "Nieuws in uw intervisiegroep");
  for (const secret of ["mentor", "symbolen", "Intervisie Oost", "leerling"]) {
    expect(news.text).not.toContain(secret);
  }
  await member.goto(dilemmaUrl);
  await expect(member.locator(".thread")).toContainText("Ik zou eerst met de mentor praten");
  // The case owner completes the dilemma after the meeting (without JavaScript), past the guard again.
  await member.getByRole("link", { name: "Aanvullen of wijzigen" }).click();
  await expect(member.getByLabel("De situatie")).toHaveValue(/verborgen symbolen/);
  await member.getByLabel("Wat de groep adviseert").fill("Eerst de mentor; bel hem op 06-11223344.");
  await member.getByRole("button", { name: "Wijzigingen opslaan" }).click();
  await expect(member.locator("#markering-advies mark")).toContainText("06-11223344");
  await member.getByLabel("Wat de groep adviseert").fill("Eerst de mentor, dan samen met de ouders.");
  await member.getByRole("button", { name: "Wijzigingen opslaan" }).click();
  await expect(member.getByText("Het dilemma is bijgewerkt.")).toBeVisible();
  await expect(member.getByText("Eerst de mentor, dan samen met de ouders.")).toBeVisible();
  // Another member's dilemma page offers no edit; the second member brings in one and deletes it.
  await second.goto(dilemmaUrl);
  await expect(second.getByRole("link", { name: "Aanvullen of wijzigen" })).toHaveCount(0);
  await second.goto(groupUrl);
  await second.getByLabel("Werkterrein").selectOption("zorg");
  await second.getByLabel("Fenomeen").selectOption("jihadisme");
  await second.getByLabel("De situatie").fill("Een cliënt (30) vraagt of zijn gesprekken vertrouwelijk blijven.");
  await second.getByLabel("Het dilemma, als vraag").fill("Wanneer deel ik wat hij vertelt?");
  await second.getByRole("button", { name: "Dilemma opslaan" }).click();
  await expect(second.getByText("Het dilemma is opgeslagen in het logboek van de groep.")).toBeVisible();
  await second.getByRole("link", { name: "Wanneer deel ik wat hij vertelt?" }).click();
  await second.getByRole("link", { name: "Verwijderen" }).click();
  await expect(second.getByRole("heading", { level: 1, name: "Dilemma verwijderen" })).toBeVisible();
  await expect(second.getByText("Wanneer deel ik wat hij vertelt?")).toBeVisible();
  await axe(second);
  await second.screenshot({ path: `${SHOTS}/1280-intervisie-dilemma-verwijderen.png`, fullPage: true });
  await second.setViewportSize({ width: 390, height: 844 });
  await second.screenshot({ path: `${SHOTS}/390-intervisie-dilemma-verwijderen.png`, fullPage: true });
  expect(await second.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await second.setViewportSize({ width: 1280, height: 800 });
  await second.getByRole("button", { name: "Ja, verwijderen" }).click();
  await expect(second.getByText("Het dilemma is verwijderd, met de reacties en actiepunten erbij.")).toBeVisible();

  // Meetings: a series that began last week, attendance at its first meeting, each member's record.
  const lastWeek = platformDay(-7);
  await facilitator.goto(groupUrl);
  await facilitator.locator("summary", { hasText: "Bijeenkomsten plannen" }).click();
  await facilitator.getByLabel("Eerste bijeenkomst").fill(lastWeek);
  await facilitator.getByLabel("Plaats of 'online'").fill("Utrecht");
  await facilitator.getByRole("button", { name: "Bijeenkomsten plannen" }).click();
  await expect(facilitator.getByText("6 bijeenkomsten gepland.")).toBeVisible();
  await axe(facilitator);
  await facilitator.getByRole("link", { name: "Aanwezigheid" }).click();
  await expect(facilitator.getByRole("heading", { level: 1, name: /^Bijeenkomst / })).toBeVisible();
  await facilitator.getByRole("group", { name: "Mira Mentor" }).getByLabel("Aanwezig").check();
  await facilitator.getByRole("group", { name: "Sam Schoolmaatschappelijk" }).getByLabel("Aanwezig").check();
  await facilitator.getByRole("button", { name: "Aanwezigheid opslaan" }).click();
  await expect(facilitator.getByText("De aanwezigheid is opgeslagen.")).toBeVisible();
  await axe(facilitator);
  await second.goto("/mijn/intervisie");
  await expect(second.getByRole("heading", { level: 1, name: "Mijn intervisieverslag" })).toBeVisible();
  await expect(second.getByText(/2 uur in totaal/).first()).toBeVisible();
  await expect(second.getByText("Intervisie Oost")).toBeVisible();
  await second.screenshot({ path: `${SHOTS}/1280-intervisie-verslag.png`, fullPage: true });
  await axe(second);

  // A method: the facilitator starts it and moves on; a member's screen shows the step on reload.
  await facilitator.goto(dilemmaUrl);
  // One "Methode" on the page (the section's heading); the field says what to do.
  await expect(facilitator.getByText("Methode", { exact: true })).toHaveCount(1);
  await facilitator.getByLabel("Kies een methode voor dit dilemma").selectOption("vijfstappenmodel");
  await facilitator.getByRole("button", { name: "Methode starten" }).click();
  await expect(facilitator.locator("#huidige-stap")).toContainText("Stap 1 van 5: De vraag introduceren");
  await facilitator.getByRole("button", { name: "Volgende stap" }).click();
  await expect(facilitator.locator("#huidige-stap")).toContainText("Stap 2 van 5: Verkennen");
  await second.goto(dilemmaUrl);
  await expect(second.locator("#huidige-stap")).toContainText("Stap 2 van 5: Verkennen");
  await expect(second.getByRole("button", { name: "Volgende stap" })).toHaveCount(0);
  await axe(second);
  // With JavaScript the member's screen follows without a reload.
  await hydrated(second);
  await facilitator.getByRole("button", { name: "Volgende stap" }).click();
  await expect(facilitator.locator("#huidige-stap")).toContainText("Stap 3 van 5");
  await expect(second.locator("#huidige-stap")).toContainText("Stap 3 van 5: Kernvraag", { timeout: 12_000 });
  // The list follows too: the marked step moved without a reload.
  await expect(second.locator('.method-steps li[aria-current="step"]')).toContainText("Kernvraag");

  // The facilitator sees who read it; outsiders and the admin get the 404 of a group that does not exist.
  await facilitator.goto(dilemmaUrl);
  await expect(facilitator.getByRole("heading", { name: "Wie dit dilemma las" })).toBeVisible();
  await expect(facilitator.getByRole("cell", { name: "Mira Mentor" }).first()).toBeVisible();
  await facilitator.screenshot({ path: `${SHOTS}/1280-intervisie-dilemma.png`, fullPage: true });
  await axe(facilitator);
  for (const [account, name] of [["buitenstaander", "Olaf Buiten"], ["beheerder", "Demo Beheerder"]]) {
    const outsider = await loggedIn(browser, account, name, "/");
    for (const url of [groupUrl, dilemmaUrl]) {
      const response = await outsider.goto(url);
      expect(response?.status()).toBe(404);
      await expect(outsider.getByText("Een leerling (15)")).toHaveCount(0);
    }
  }
});

test("a facilitator moves a meeting and adds an account; the member's calendar feed says only 'Intervisie'; an admin hands the group over", async ({ browser }) => {
  test.setTimeout(120_000);
  // Accounts exist once their owners have logged in.
  const member = await loggedIn(browser, "lid-agenda", "Lotte Agenda", "/mijn/trainingen");
  await loggedIn(browser, "begeleider2", "Bea Begeleider", "/intervisie");
  const facilitator = await loggedIn(browser, "begeleider", "Bram Begeleider", "/intervisie");
  await facilitator.getByLabel("Naam", { exact: true }).fill("Intervisie Zuid");
  await facilitator.getByRole("button", { name: "Groep aanmaken" }).click();
  await expect(facilitator.getByRole("heading", { level: 1, name: "Intervisie Zuid" })).toBeVisible();
  const groupUrl = facilitator.url().replace(/#.*$/, "");

  const inTwoWeeks = platformDay(14);
  const inThreeWeeks = platformDay(21);
  await facilitator.locator("summary", { hasText: "Bijeenkomsten plannen" }).click();
  await facilitator.getByLabel("Eerste bijeenkomst").fill(inTwoWeeks);
  await facilitator.getByLabel("Aantal bijeenkomsten").fill("2");
  await facilitator.getByLabel("Plaats of 'online'").fill("Amersfoort");
  await facilitator.getByRole("button", { name: "Bijeenkomsten plannen" }).click();
  await expect(facilitator.getByText("2 bijeenkomsten gepland.")).toBeVisible();

  // Moving one meeting: a refused time keeps what was typed, then it moves.
  await facilitator.getByRole("link", { name: /^Verplaatsen / }).first().click();
  await expect(facilitator.getByRole("heading", { level: 1, name: /^Bijeenkomst / })).toBeVisible();
  await axe(facilitator);
  await facilitator.getByLabel("Datum").fill(inThreeWeeks);
  await facilitator.getByLabel("Begin").fill("15:00");
  await facilitator.getByLabel("Einde").fill("14:00");
  await facilitator.getByRole("button", { name: "Bijeenkomst verplaatsen" }).click();
  await expect(facilitator.locator("#fout-end")).toHaveText("Het einde ligt na het begin.");
  await expect(facilitator.getByLabel("Datum")).toHaveValue(inThreeWeeks);
  await facilitator.getByLabel("Einde").fill("17:00");
  await facilitator.getByRole("button", { name: "Bijeenkomst verplaatsen" }).click();
  await expect(facilitator.getByText("De bijeenkomst is verplaatst.")).toBeVisible();
  await expect(facilitator.locator(".lead")).toContainText("15:00–17:00");
  // A note at the meeting: the guard stops a phone number, the text stays; then it is saved.
  await facilitator.getByLabel("Uw notitie").fill("Afspraak: terugbellen via 06-12345678 over de voortgang.");
  await facilitator.getByRole("button", { name: "Notitie opslaan" }).click();
  await expect(facilitator.locator("mark")).toContainText("06-12345678");
  await expect(facilitator.getByLabel("Uw notitie")).toHaveValue("Afspraak: terugbellen via 06-12345678 over de voortgang.");
  await facilitator.getByLabel("Uw notitie").fill("Afspraak: de mentor plant een gesprek over de voortgang.");
  await facilitator.getByRole("button", { name: "Notitie opslaan" }).click();
  await expect(facilitator.getByText("Uw notitie is opgeslagen.")).toBeVisible();
  await expect(facilitator.locator("#notities")).toContainText("de mentor plant een gesprek");
  await facilitator.screenshot({ path: `${SHOTS}/1280-intervisie-bijeenkomst.png`, fullPage: true });
  await axe(facilitator);

  // Cancelling asks first, on a page of its own; a cancelled meeting ahead comes back.
  await facilitator.goto(groupUrl);
  await facilitator.getByRole("button", { name: /^Afgelasten / }).last().click();
  await expect(facilitator.getByRole("heading", { level: 1, name: "Bijeenkomst afgelasten" })).toBeVisible();
  await axe(facilitator);
  await facilitator.screenshot({ path: `${SHOTS}/1280-intervisie-afgelasten.png`, fullPage: true });
  await facilitator.setViewportSize({ width: 390, height: 844 });
  await facilitator.screenshot({ path: `${SHOTS}/390-intervisie-afgelasten.png`, fullPage: true });
  expect(await facilitator.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await facilitator.setViewportSize({ width: 1280, height: 800 });
  await facilitator.getByRole("button", { name: "Ja, afgelasten" }).click();
  await expect(facilitator.getByText("De bijeenkomst is afgelast.")).toBeVisible();
  await facilitator.getByRole("button", { name: /^Herstellen / }).click();
  await expect(facilitator.getByText("De bijeenkomst is hersteld.")).toBeVisible();
  await expect(facilitator.getByRole("button", { name: /^Afgelasten / })).toHaveCount(2);

  // An existing account invited by its address: the same answer for an unknown address and a
  // known one; the person is asked by mail and joins only by accepting.
  await facilitator.goto(groupUrl);
  const answer = "Als er een account met dit adres is, krijgt het een uitnodiging per e-mail.";
  await facilitator.getByLabel("E-mailadres van het account").fill("niemand@demo.leerplatform.test");
  await facilitator.getByRole("button", { name: "Uitnodigen per e-mail" }).click();
  await expect(facilitator.getByText(answer)).toBeVisible();
  await facilitator.getByLabel("E-mailadres van het account").fill("lid-agenda@demo.leerplatform.test");
  await facilitator.getByRole("button", { name: "Uitnodigen per e-mail" }).click();
  await expect(facilitator.getByText(answer)).toBeVisible();
  await expect(facilitator.getByRole("button", { name: "Lotte Agenda uit de groep halen" })).toHaveCount(0);
  await axe(facilitator);
  const invitation = await mailTo("lid-agenda@demo.leerplatform.test", "Uitnodiging voor een intervisiegroep");
  expect(invitation.text).not.toContain("Zuid");
  await member.goto("/intervisie");
  await axe(member);
  await member.getByRole("button", { name: "Uitnodiging voor Intervisie Zuid aannemen" }).click();
  await expect(member.getByRole("button", { name: "Ik houd mij aan deze afspraken" })).toBeVisible();
  await facilitator.reload();
  await expect(facilitator.getByRole("button", { name: "Lotte Agenda uit de groep halen" })).toBeVisible();

  // The member's personal feed: nothing of the group before the agreement is accepted; then the
  // meetings, as "Intervisie", without the group's name.
  await member.goto("/mijn/trainingen");
  await member.getByRole("button", { name: /Agenda-link maken|Nieuwe agenda-link maken/ }).click();
  const feedUrl = (await member.locator(".notice.success a.feed-link").textContent())!;
  expect(await (await member.request.get(feedUrl)).text()).not.toContain("SUMMARY:Intervisie");
  await member.goto(groupUrl);
  await member.getByRole("button", { name: "Ik houd mij aan deze afspraken" }).click();
  await expect(member.getByText("Welkom. U heeft de afspraken bevestigd.")).toBeVisible();
  const feed = await (await member.request.get(feedUrl)).text();
  expect(feed.match(/SUMMARY:Intervisie/g)?.length).toBe(2);
  expect(feed).toContain("LOCATION:Amersfoort");
  expect(feed).not.toContain("Zuid");

  // The admin hands the group over: the new facilitator first, then the old one off.
  const admin = await loggedIn(browser, "beheerder", "Demo Beheerder", "/beheer/intervisie");
  await expect(admin.getByRole("heading", { level: 1, name: "Intervisiegroepen" })).toBeVisible();
  const card = admin.locator("section.card", { has: admin.getByRole("heading", { name: "Intervisie Zuid" }) });
  await card.getByLabel("E-mailadres van een intervisiebegeleider").fill("begeleider2@demo.leerplatform.test");
  await card.getByRole("button", { name: "Als begeleider toevoegen" }).click();
  await expect(admin.getByText("De begeleider is toegevoegd.")).toBeVisible();
  await card.getByRole("button", { name: /^(Bram|Demo) Begeleider als begeleider weghalen$/ }).click();
  await expect(admin.getByText("De begeleider is van de groep gehaald.")).toBeVisible();
  await expect(card.getByRole("button", { name: /als begeleider weghalen/ })).toHaveCount(1);
  await admin.screenshot({ path: `${SHOTS}/1280-beheer-intervisie.png`, fullPage: true });
  await axe(admin);
  // Handed over: the old facilitator now gets the 404 of a group that does not exist.
  const response = await facilitator.goto(groupUrl);
  expect(response?.status()).toBe(404);
});
