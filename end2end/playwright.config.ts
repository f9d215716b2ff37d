import { defineConfig } from "@playwright/test";

// The server under test: the dev build cargo-leptos produced, on its own port and database,
// with the shipped content.
const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${port}`;
const targetDir = process.env.CARGO_TARGET_DIR ?? "../target";
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
// the day it runs: the shipped runs' enrolment windows are open on this date. Override with
// E2E_CLOCK_START to run the suite on another day.
export const clockStart = process.env.E2E_CLOCK_START ?? "2026-12-07T09:00:00+01:00";
const clockOffset = Date.parse(clockStart) - Date.now();
/// The platform's now, as its clock reads it.
export function platformNow(): Date {
  return new Date(Date.now() + clockOffset);
}

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
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
      LEPTOS_SITE_ROOT: "../target/site",
      DATABASE_URL: "sqlite::memory:",
      CONTENT_DIR: "../content",
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
        LEPTOS_SITE_ROOT: "../target/site",
        DATABASE_URL: "sqlite::memory:",
        CONTENT_DIR: "../content",
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
