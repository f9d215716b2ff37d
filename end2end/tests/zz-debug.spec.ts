import { test } from "@playwright/test";
import { completeProfileIfAsked, logIn } from "./helpers";
test.use({ javaScriptEnabled: false });
test("debug", async ({ page }) => {
  const urls: string[] = [];
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) urls.push(f.url()); });
  await page.goto("/");
  await logIn(page, "lid-een");
  await completeProfileIfAsked(page, "Lid Een");
  await page.goto("/profiel");
  await page.getByRole("button", { name: "Profiel opslaan" }).click();
  await page.goto("/trainingen/online-radicalisering-en-memes-duiden");
  await page.getByRole("button", { name: "Inschrijven" }).first().click();
  await page.goto("/mijn/trainingen");
  await page.getByRole("button", { name: /agenda-link maken/i }).click();
  await page.goto("/factsheets/jihadisme");
  console.log(urls.join("\n"));
});
