// A page of a report opened in headless Chromium (Debian's, or CHROMIUM_PATH), for the tests that
// look at what a person would see; the browser is closed whatever the test does.
import puppeteer, { type Page } from "puppeteer-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Runs on the new page before it loads (request interception, say). */
  before?: (page: Page) => Promise<void>;
}

export async function withPage<T>(html: string, fn: (page: Page) => Promise<T>, o: PageOptions = {}): Promise<T> {
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"], headless: true });
  try {
    const page = await browser.newPage();
    await o.before?.(page);
    await page.setViewport(o.viewport ?? { width: 1200, height: 900 });
    await page.goto(`file://${html}`, { waitUntil: "load" });
    return await fn(page);
  } finally {
    await browser.close();
  }
}
