// Debian's chromium through playwright-core (no browser download), launched the same way by
// the browser tests and by `python -m bench.web`: headless, and with the background
// networking off that this machine's closed network would otherwise refuse many times over.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.FACTORYGRAPH_CHROMIUM ?? "/usr/bin/chromium";

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
