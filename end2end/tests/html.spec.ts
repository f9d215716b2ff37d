import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PUBLIC_PAGES } from "./helpers";

// The Nu HTML Checker (npm vnu-jar, run by Debian's Java).
const VNU = join(__dirname, "..", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

type Message = { type: string; url: string; message: string; extract?: string };

test("every public page is valid HTML (the Nu HTML Checker), apart from Leptos's <!> hydration markers", async ({ request }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "vnu-"));
  const files = [];
  for (const [index, path] of PUBLIC_PAGES.entries()) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    const file = join(dir, `${index}.html`);
    writeFileSync(file, await response.text());
    files.push(file);
  }
  let output: string;
  try {
    output = execFileSync("java", ["-jar", VNU, "--errors-only", "--format", "json", "--stdout", ...files], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (failed: any) {
    // vnu exits with 1 when it reports an error; its report is still on stdout.
    output = failed.stdout;
  }
  const messages: Message[] = JSON.parse(output).messages;
  // Leptos marks where hydration finds its places with `<!>`, which HTML calls a bogus comment.
  const markers = messages.filter((m) => m.message === "Bogus comment." && m.extract?.includes("<!>"));
  expect(markers.length).toBeGreaterThan(0);
  const errors = messages
    .filter((m) => !markers.includes(m))
    .map((m) => `${PUBLIC_PAGES[Number(m.url.replace(/^.*\//, "").replace(".html", ""))]}: ${m.message} ${m.extract ?? ""}`);
  expect(errors).toEqual([]);
});
