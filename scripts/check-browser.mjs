// First step of `npm test`: the Playwright suite needs a Chromium. Stop early with the one command that installs
// one, instead of a stack trace from deep inside the e2e run.
import { existsSync } from "node:fs";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";

async function playwrightChromium() {
  try {
    const { chromium } = await import("@playwright/test");
    const executable = chromium.executablePath();
    return executable && existsSync(executable) ? executable : undefined;
  } catch {
    return undefined;
  }
}

if (!existsSync(SYSTEM_CHROMIUM) && !(await playwrightChromium())) {
  console.error(`No Chromium for the browser tests: install one with \`sudo apt-get install chromium\` (then run npm test again).`);
  process.exit(1);
}
