import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { completeProfileIfAsked, hydrated, logIn } from "./helpers";
import { screensDir } from "../playwright.config";

const COURSE = "/modules/van-signaal-naar-handelen";
const FIRST = `${COURSE}/radicalisering-als-proces`;

/// Answers the first module's self-check; `allRight` picks the right options.
async function answerFirstModule(page: Page, allRight: boolean) {
  const quiz = page.locator("#zelftoets");
  const first = quiz.locator("fieldset").nth(0);
  await first
    .getByLabel(allRight ? /Wanneer iemand bereid is/ : /Zodra iemand radicale ideeën/)
    .check();
  const second = quiz.locator("fieldset").nth(1);
  for (const option of [/gevoel van onrecht/, /identiteit en erbij horen/, /bevestigt/]) {
    await second.getByLabel(option).check();
  }
  await quiz.getByRole("button", { name: "Controleer mijn antwoorden" }).click();
}

test("a visitor follows a course and the quiz is checked in place", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Cursussen" }).click();
  await page.getByRole("link", { name: "Van signaal naar handelen" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Van signaal naar handelen");
  await expect(page.locator(".module-list > li")).toHaveCount(3);
  await page.getByRole("link", { name: "Begin de cursus" }).click();

  await expect(page).toHaveURL(FIRST);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Radicalisering als proces");
  await expect(page.getByText("Module 1 van 3")).toBeVisible();
  await expect(page.locator("progress#modulevoortgang")).toHaveAttribute("value", "1");
  // The answers are not in the page.
  expect(await page.content()).not.toContain("[x]");
  expect(await page.content()).not.toContain("Radicale ideeën zijn toegestaan");

  await answerFirstModule(page, false);
  await expect(page.locator("#zelftoets-uitslag")).toHaveText(/1 van 2 vragen goed/);
  await expect(page.locator("fieldset.incorrect")).toHaveCount(1);
  await expect(page.getByText("Radicale ideeën zijn toegestaan", { exact: false })).toBeVisible();
  await expect(page).toHaveURL(FIRST);

  await answerFirstModule(page, true);
  await expect(page.locator("#zelftoets-uitslag")).toHaveText(/u heeft de zelftoets gehaald/);
  await expect(page.locator("fieldset.correct")).toHaveCount(2);

  await page.getByRole("link", { name: /Volgende module/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Signalen wegen");
  await expect(page.getByText("Module 2 van 3")).toBeVisible();
  await page.getByRole("link", { name: /Vorige module/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Radicalisering als proces");
});

test("a logged-in reader's progress is stored and shown", async ({ page }) => {
  await page.goto(FIRST);
  await hydrated(page);
  await logIn(page, "e2e-cursist");
  await completeProfileIfAsked(page, "Cursist Test");
  await page.goto(FIRST);
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Markeer als gelezen" })).toBeVisible();
  await answerFirstModule(page, true);
  await expect(page.locator("#zelftoets-uitslag")).toHaveText(/bewaard in uw voortgang/);
  await expect(page.getByText("U heeft deze module gelezen.")).toBeVisible();

  await page.getByRole("link", { name: /Volgende module/ }).click();
  await hydrated(page);
  await page.getByRole("button", { name: "Markeer als gelezen" }).click();
  await expect(page.getByText("U heeft deze module gelezen.")).toBeVisible();

  await page.goto(COURSE);
  await expect(page.getByText("Afgerond: 1 van 3 modules")).toBeVisible();
  // The overview shows the same progress and no longer asks to log in.
  await page.goto("/modules");
  await expect(page.locator(".card-meta").first()).toContainText("u heeft er 1 afgerond");
  await expect(page.getByText("om uw voortgang te bewaren")).toHaveCount(0);
  await page.goto(COURSE);
  await expect(page.locator(".module-list > li").nth(1)).toContainText("Gelezen, zelftoets nog niet gehaald");
  await expect(page.getByRole("link", { name: "Verder met de cursus" })).toBeVisible();
});

test("an editor starts a new module of a course and previews its questions", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await logIn(page, "redacteur");
  await completeProfileIfAsked(page, "Anna Redacteur");
  await page.goto("/redactie");
  const course = page.getByRole("row").filter({ hasText: "Van signaal naar handelen" }).filter({ hasText: "Cursus" });
  await course.getByRole("link", { name: "+ module" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Nieuwe module voor de cursus ‘Van signaal naar handelen’",
  );
  await hydrated(page);
  await page.getByLabel("Tekst (Markdown)").fill(
    "Inleiding.\n\n```vraag\nKlopt dit?\n- [x] Ja\n- [ ] Nee\n> Omdat het zo is.\n```\n",
  );
  const preview = page.locator("#voorbeeld");
  await expect(preview.getByRole("heading", { name: "Zelftoets" })).toBeVisible();
  await expect(preview).toContainText("Ja (✓ goed)");
  await expect(preview).toContainText("Omdat het zo is.");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the self-check is a plain form checked on the server", async ({ page }) => {
    await page.goto(FIRST);
    await answerFirstModule(page, false);
    // Back on the module, at the self-check rather than the top of the page.
    // A visitor's answers come back in the address (no session is made for a visitor).
    await expect(page).toHaveURL(new RegExp(`${FIRST}\\?antwoorden=[0-9.-]+#zelftoets$`));
    await expect(page.locator("#zelftoets")).toBeInViewport();
    await expect(page.locator("#zelftoets-uitslag")).toHaveText(/1 van 2 vragen goed/);
    // What was chosen is still chosen.
    await expect(page.getByLabel(/Zodra iemand radicale ideeën/)).toBeChecked();
    await answerFirstModule(page, true);
    await expect(page.locator("#zelftoets-uitslag")).toHaveText(/u heeft de zelftoets gehaald/);
    await page.getByRole("link", { name: /Volgende module/ }).click();
    await expect(page.getByText("Module 2 van 3")).toBeVisible();
  });
});

for (const path of ["/modules", COURSE, FIRST]) {
  test(`no accessibility violations on ${path}`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });
}

test("the self-check asks for an answer before judging, and says each hint once", async ({ page }) => {
  await page.goto(FIRST);
  await hydrated(page);
  for (const question of await page.locator("fieldset.question").all()) {
    expect(await question.getByText("Kies alle juiste antwoorden").count()).toBeLessThanOrEqual(1);
  }
  const check = page.getByRole("button", { name: "Controleer mijn antwoorden" });
  await expect(check).toHaveClass(/\bbutton\b/);
  await check.click();
  await expect(page.locator("#zelftoets-uitslag")).toHaveText(/U heeft nog geen antwoord gekozen/);
  await expect(page.locator(".question.incorrect")).toHaveCount(0);
  await page.locator("#zelftoets").screenshot({ path: `${screensDir}/zelftoets-leeg.png` });
});
