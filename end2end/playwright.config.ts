import { defineConfig } from "@playwright/test";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// The server under test: the dev build cargo-leptos produced, on its own port and database,
// with the shipped content.
const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
const targetDir = process.env.CARGO_TARGET_DIR ?? "../target";
// Where a run writes its results and screenshots: its own per run, so two runs (today and two
// years on) can go side by side.
const outputDir = process.env.E2E_OUTPUT_DIR ?? "test-results";
export const screensDir = `${outputDir}/screens`;
// The site the servers serve: the debug bundles of `make site`, or another build's
// (`make test` runs the suite on the release bundles the WASM budget is checked on).
const siteRoot = process.env.E2E_SITE_ROOT ?? "../target/site";
// The real OpenID provider the tests log in through (npm oidc-provider, see oidc/provider.mjs).
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 3201);
export const issuer = `http://127.0.0.1:${oidcPort}`;
// A second platform on its own port and database where the platform, not the provider,
// manages roles (no OIDC_ROLES_CLAIM; the demo admin is listed in ADMIN_SUBJECTS).
const platformRolesPort = Number(process.env.E2E_PLATFORM_ROLES_PORT ?? 3102);
export const platformRolesURL = `http://127.0.0.1:${platformRolesPort}`;
// The mail sink (npm maildev): SMTP for the platform, a REST API the tests read mail from.
const mailSmtpPort = Number(process.env.E2E_MAIL_SMTP_PORT ?? 1026);
const mailWebPort = Number(process.env.E2E_MAIL_WEB_PORT ?? 1081);
// Seals intervision content in the test runs (32 bytes, base64); never a production key.
const intervisionKey = "bGVlcnBsYXRmb3JtLXRlc3Qta2V5LTMyLWJ5dGVzISE=";
export const inboxURL = `http://127.0.0.1:${mailWebPort}`;
// The platform's clock starts here (CLOCK_START) and runs on, so the suite does not depend on
// the day it runs: the shipped runs' enrolment windows are open on this date.
const BASE_CLOCK = "2026-12-07T09:00:00+01:00";
// E2E_SHIFT_WEEKS=104 runs the whole suite two years later: the clock and every date in the
// content's front matter move by that many weeks (whole weeks keep the weekdays), and the
// tests' own dates move with them (`shifted` in helpers.ts). `make test` runs it both ways.
export const shiftDays = 7 * Number(process.env.E2E_SHIFT_WEEKS ?? 0);
export const clockStart = new Date(Date.parse(BASE_CLOCK) + shiftDays * 86_400_000).toISOString();
const clockOffset = Date.parse(clockStart) - Date.now();

/// `YYYY-MM-DD` moved by `days`.
export function shiftDate(iso: string, days: number): string {
  const moved = new Date(Date.parse(`${iso}T12:00:00Z`) + days * 86_400_000);
  return moved.toISOString().slice(0, 10);
}

/// The shipped content with every front-matter date moved by `days`, in a directory of its own.
function shiftedContent(days: number): string {
  const target = join(__dirname, `.content-shifted-${days}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(join(__dirname, "..", "content"), target, { recursive: true });
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else if (name.endsWith(".md")) {
        const text = readFileSync(path, "utf8");
        const end = text.indexOf("\n---\n", 4);
        const front = text.slice(0, end).replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (date) => shiftDate(date, days));
        writeFileSync(path, front + text.slice(end));
      }
    }
  };
  walk(target);
  return target;
}
const contentDir = shiftDays === 0 ? "../content" : shiftedContent(shiftDays);
/// The platform's now, as its clock reads it.
export function platformNow(): Date {
  return new Date(Date.now() + clockOffset);
}

export default defineConfig({
  testDir: "./tests",
  outputDir,
  // Flows with three logins take up to half a minute alone; `make test` runs two suites side by
  // side on two cores, so each test gets twice that.
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "nl-NL",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
    {
      command: `node_modules/.bin/maildev --ip 127.0.0.1 --web-ip 127.0.0.1 --smtp ${mailSmtpPort} --web ${mailWebPort} --silent`,
      url: `${inboxURL}/email`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: "node oidc/provider.mjs",
      url: `${issuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: {
        OIDC_PORT: String(oidcPort),
        OIDC_REDIRECT_URIS: `${baseURL}/auth/callback,${platformRolesURL}/auth/callback`,
        OIDC_CLIENT_SECRET: "e2e-geheim",
      },
    },
    {
    command: `${targetDir}/debug/leerplatform`,
    cwd: ".",
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      DATABASE_URL: "sqlite::memory:",
      CONTENT_DIR: contentDir,
      RUST_LOG: "warn",
      PUBLIC_URL: baseURL,
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: "leerplatform",
      OIDC_CLIENT_SECRET: "e2e-geheim",
      OIDC_ROLES_CLAIM: "roles",
      SMTP_URL: `smtp://127.0.0.1:${mailSmtpPort}`,
      JOB_POLL_SECONDS: "1",
      INTERVISION_KEY: intervisionKey,
      CLOCK_START: clockStart,
    },
    },
    {
      command: `${targetDir}/debug/leerplatform`,
      url: `${platformRolesURL}/readyz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        LEPTOS_SITE_ADDR: `127.0.0.1:${platformRolesPort}`,
        LEPTOS_SITE_ROOT: siteRoot,
        DATABASE_URL: "sqlite::memory:",
        CONTENT_DIR: contentDir,
        RUST_LOG: "warn",
        PUBLIC_URL: platformRolesURL,
        OIDC_ISSUER_URL: issuer,
        OIDC_CLIENT_ID: "leerplatform",
        OIDC_CLIENT_SECRET: "e2e-geheim",
        ADMIN_SUBJECTS: "beheerder",
        INTERVISION_KEY: intervisionKey,
        CLOCK_START: clockStart,
      },
    },
  ],
});
