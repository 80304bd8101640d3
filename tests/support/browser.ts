/**
 * Headless Chromium for the browser tests: Debian's build, driven by playwright-core. A machine
 * without it fails the tests with the line that installs it, rather than skipping them.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.LIFECYCLE_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install it with apt-get install -y chromium fonts-noto-cjk (or set LIFECYCLE_CHROMIUM to its path)`);
  }
  // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}
