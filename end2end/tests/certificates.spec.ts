import { test, expect } from "@playwright/test";
import { axe, hydrated, loggedIn, platformDay } from "./helpers";
import { screensDir } from "../playwright.config";

const SHOTS = screensDir;
const TRAINING = "online-radicalisering-en-memes-duiden";
const RUN = "certificaat-proef";

test("a trainer records attendance without JavaScript and closes the run; the participant downloads and verifies the certificate; the export lists the numbers", async ({ browser }) => {
  test.setTimeout(120_000);
  const today = platformDay(0);
  // A run whose two sessions are tomorrow, so people can still enrol (enrolment ends when the
  // first session starts); the trainer then moves them to today so the run can be closed now.
  const trainer = await loggedIn(browser, "trainer2", "Tina Trainer", `/trainingen/${TRAINING}`);
  await trainer.getByRole("link", { name: "Uitvoering toevoegen" }).click();
  await trainer.getByLabel("Code").fill(RUN);
  await trainer.getByLabel("Capaciteit").fill("6");
  await trainer.getByLabel("Inschrijving opent").fill(platformDay(-1));
  // Enrolment closes at the latest on the day of the first session.
  await trainer.getByLabel("Inschrijving sluit").fill(today);
  for (const [number, start, end] of [[1, "00:00", "01:00"], [2, "01:00", "02:00"]] as const) {
    const session = trainer.getByRole("group", { name: `Bijeenkomst ${number}` });
    await session.getByLabel("Datum").fill(platformDay(1));
    await session.getByLabel("Begin").fill(start);
    await session.getByLabel("Einde").fill(end);
    await session.getByLabel("Plaats of 'online'").fill("Utrecht");
  }
  await trainer.getByRole("button", { name: "Uitvoering opslaan" }).click();
  await expect(trainer.getByRole("heading", { level: 1 })).toHaveText(`Uitvoering ${RUN}`);

  // Two participants enrol; one gives an SKJ number in the profile.
  const withNumber = await loggedIn(browser, "cert-met-nummer", "Noor Nummer", "/");
  await withNumber.goto("/profiel");
  await withNumber.getByLabel("Register").first().selectOption("skj");
  await withNumber.getByLabel("Registratienummer").first().fill("100012345");
  await withNumber.getByRole("button", { name: "Profiel opslaan" }).click();
  await expect(withNumber.getByText("Uw profiel is opgeslagen.")).toBeVisible();
  const withoutNumber = await loggedIn(browser, "cert-zonder-nummer", "Zeno Zonder", "/");
  for (const person of [withNumber, withoutNumber]) {
    await person.goto(`/trainingen/${TRAINING}`);
    await person.locator(`#uitvoering-${RUN}`).getByRole("button", { name: "Inschrijven" }).click();
    await expect(person.locator(`#uitvoering-${RUN}`).getByRole("status")).toHaveText("U bent ingeschreven.");
  }
  // The sessions move to today: the same sessions, a new date.
  await trainer.goto(`/trainingen/${TRAINING}/${RUN}/beheer`);
  await trainer.getByRole("link", { name: "Gegevens en bijeenkomsten bewerken" }).click();
  for (const number of [1, 2]) {
    await trainer.getByRole("group", { name: `Bijeenkomst ${number}` }).getByLabel("Datum").fill(today);
  }
  await trainer.getByRole("button", { name: "Uitvoering opslaan" }).click();
  await expect(trainer.getByText("De uitvoering is opgeslagen.")).toBeVisible();

  // With JavaScript every tap is saved at once (no button).
  await trainer.goto(`/trainingen/${TRAINING}/${RUN}/beheer`);
  await trainer.getByRole("link", { name: /^Aanwezigheid / }).nth(1).click();
  await hydrated(trainer);
  await trainer.getByRole("group", { name: "Noor Nummer" }).getByLabel("Aanwezig", { exact: true }).check();
  await expect(trainer.getByRole("status")).toHaveText("De aanwezigheid is opgeslagen.");
  await expect(trainer.getByRole("group", { name: "Noor Nummer" }).getByLabel("Aanwezig", { exact: true })).toBeChecked();

  // The attendance register, without JavaScript: Zeno 15 minutes late at the first session.
  const register = await loggedIn(browser, "trainer2", "Tina Trainer", `/trainingen/${TRAINING}/${RUN}/beheer`, false);
  await register.goto(`/trainingen/${TRAINING}/${RUN}/beheer`);
  await register.getByRole("link", { name: /^Aanwezigheid / }).first().click();
  await expect(register.getByRole("heading", { level: 1 })).toContainText("Aanwezigheid");
  await register.getByRole("group", { name: "Noor Nummer" }).getByLabel("Aanwezig", { exact: true }).check();
  await register.getByRole("group", { name: "Zeno Zonder" }).getByLabel("Te laat", { exact: true }).check();
  // Late without minutes is refused in Dutch, and the marks made stay.
  await register.getByRole("button", { name: "Aanwezigheid opslaan" }).click();
  await expect(register.getByRole("alert")).toContainText("aantal minuten");
  await expect(register.getByRole("group", { name: "Zeno Zonder" }).getByLabel("Te laat", { exact: true })).toBeChecked();
  await expect(register.getByRole("group", { name: "Noor Nummer" }).getByLabel("Aanwezig", { exact: true })).toBeChecked();
  await register.getByLabel("Minuten te laat of eerder weg (Zeno Zonder)").fill("15");
  await register.getByRole("button", { name: "Aanwezigheid opslaan" }).click();
  await expect(register.getByRole("status")).toHaveText("De aanwezigheid is opgeslagen.");
  await expect(register.getByLabel("Minuten te laat of eerder weg (Zeno Zonder)")).toHaveValue("15");
  await register.screenshot({ path: `${SHOTS}/1280-aanwezigheid.png`, fullPage: true });
  await register.goto(`/trainingen/${TRAINING}/${RUN}/beheer`);
  await register.getByRole("link", { name: /^Aanwezigheid / }).nth(1).click();
  await register.getByRole("group", { name: "Noor Nummer" }).getByLabel("Aanwezig", { exact: true }).check();
  await register.getByRole("group", { name: "Zeno Zonder" }).getByLabel("Aanwezig", { exact: true }).check();
  await register.getByRole("button", { name: "Aanwezigheid opslaan" }).click();
  await expect(register.getByRole("status")).toHaveText("De aanwezigheid is opgeslagen.");

  // The training asks for all contact hours (default): Zeno's 15 minutes late cost the certificate.
  await trainer.goto(`/trainingen/${TRAINING}/${RUN}/beheer`);
  await axe(trainer);
  await trainer.getByRole("link", { name: /^Aanwezigheid / }).first().click();
  await axe(trainer);
  await trainer.goto(`/trainingen/${TRAINING}/${RUN}/beheer`);
  await trainer.getByRole("button", { name: "Uitvoering afsluiten en certificaten uitgeven" }).click();
  await expect(trainer.getByRole("status").first()).toContainText("1 certificaat uitgegeven, 1 deelnemer(s) voldeed(en) niet");
  await trainer.screenshot({ path: `${SHOTS}/1280-uitvoering-afgesloten.png`, fullPage: true });
  await axe(trainer);
  // The register on the closed run: who got a certificate and why the other did not.
  const grid = trainer.getByRole("region", { name: "Presentielijst per deelnemer en bijeenkomst" });
  await expect(grid.getByRole("row", { name: /Noor Nummer/ })).toContainText("Certificaat uitgereikt");
  await expect(grid.getByRole("row", { name: /Zeno Zonder/ })).toContainText("Te laat (15 min)");
  await expect(grid.getByRole("row", { name: /Zeno Zonder/ })).toContainText("Geen certificaat: 1,8 uur aanwezig, 2 uur nodig");
  const registerCsv = await (await trainer.request.get(`/trainingen/${TRAINING}/${RUN}/presentielijst.csv`)).text();
  expect(registerCsv).toContain(`"${today} 00:00";"${today} 01:00"`);
  expect(registerCsv).toContain('"Zeno Zonder";"Te laat (15 min)";"Aanwezig";"1,75";"2";"nee";"nee"');
  const csv = await (await trainer.request.get(`/trainingen/${TRAINING}/${RUN}/accreditatie/0/deelnemers.csv`)).text();
  expect(csv).toContain('"Noor Nummer";"100012345"');
  expect(csv).not.toContain("Zeno");
  const peOnline = await (await trainer.request.get(`/trainingen/${TRAINING}/${RUN}/accreditatie/0/${today}.txt`)).text();
  expect(peOnline).toBe("100012345\n");

  // Zeno sees why not; Noor downloads the certificate and verifies it.
  await withoutNumber.goto("/mijn/trainingen");
  await expect(withoutNumber.getByText(/Nog 0,3 uur aanwezigheid nodig/)).toBeVisible();
  await withNumber.goto("/mijn/trainingen");
  const download = withNumber.getByRole("link", { name: /^Certificaat .* \(PDF\)$/ });
  const pdfResponse = await withNumber.request.get((await download.getAttribute("href"))!);
  const pdf = await pdfResponse.body();
  expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
  // The file is named after the training and the day, not "certificaat.pdf" for every run.
  expect(pdfResponse.headers()["content-disposition"]).toMatch(/filename="certificaat-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.pdf"/);
  // The evaluation: a missing answer is refused with the others kept; then stored anonymously.
  await withNumber.locator("summary", { hasText: "Evaluatie invullen" }).click();
  await withNumber.getByRole("group", { name: /^1\. / }).getByLabel("4", { exact: true }).check();
  await withNumber.getByRole("button", { name: "Evaluatie versturen" }).click();
  await expect(withNumber.getByRole("alert")).toContainText("Vraag 2: Kies een antwoord van 1 tot en met 5.");
  await expect(withNumber.getByRole("group", { name: /^1\. / }).getByLabel("4", { exact: true })).toBeChecked();
  for (const question of [2, 3, 4]) {
    await withNumber.getByRole("group", { name: new RegExp(`^${question}\\. `) }).getByLabel("5", { exact: true }).check();
  }
  await withNumber.getByLabel(/Wat wilt u de trainers nog meegeven/).fill("Meer oefenen met echte voorbeelden.");
  await withNumber.getByRole("button", { name: "Evaluatie versturen" }).click();
  await expect(withNumber.getByRole("status").first()).toContainText("uw evaluatie is anoniem opgeslagen");
  await expect(withNumber.getByRole("button", { name: "Evaluatie versturen" })).toHaveCount(0);
  await axe(withNumber);
  await trainer.goto(`/trainingen/${TRAINING}/${RUN}/beheer`);
  // Nothing of the evaluation shows while participants can still answer, not even the count.
  await expect(trainer.getByText(/Deelnemers kunnen evalueren tot en met/)).toBeVisible();
  await expect(trainer.getByText(/antwoorden\./)).toHaveCount(0);
  await expect(trainer.getByText("Meer oefenen")).toHaveCount(0);
  await axe(withNumber);
  await withNumber.getByRole("link", { name: "controlepagina" }).click();
  await expect(withNumber.getByText("Geldig certificaat")).toBeVisible();
  await expect(withNumber.locator("dd").filter({ hasText: "Noor Nummer" })).toBeVisible();
  await withNumber.screenshot({ path: `${SHOTS}/1280-certificaat-controle.png`, fullPage: true });
  await axe(withNumber);
  // Anyone may check it, also without logging in.
  const anyone = await (await browser.newContext()).newPage();
  await anyone.goto(withNumber.url());
  await expect(anyone.getByText("Geldig certificaat")).toBeVisible();
  const unknown = await anyone.goto("/certificaat/bestaat-niet");
  expect(unknown?.status()).toBe(404);
  await expect(anyone.getByText("Geen certificaat gevonden met deze code.")).toBeVisible();
  // A code read from paper, typed in lower case with spaces, finds the certificate.
  const code = decodeURIComponent(withNumber.url().split("/certificaat/")[1]);
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  await anyone.goto("/certificaat");
  await axe(anyone);
  await anyone.screenshot({ path: `${SHOTS}/1280-certificaat-zoeken.png`, fullPage: true });
  await anyone.setViewportSize({ width: 390, height: 844 });
  await anyone.screenshot({ path: `${SHOTS}/390-certificaat-zoeken.png`, fullPage: true });
  expect(await anyone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await anyone.getByLabel("Code van het certificaat").fill(code.toLowerCase().replaceAll("-", " "));
  await anyone.getByRole("button", { name: "Controleren" }).click();
  await expect(anyone.getByText("Geldig certificaat")).toBeVisible();
  expect(anyone.url()).toContain(`/certificaat/${code}`);
});
