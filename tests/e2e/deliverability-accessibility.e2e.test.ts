// Every mail Pregón sends (each example bulletin in each language, and the confirmation mail)
// opened in Chromium as a mail client shows it, light and dark (prefers-color-scheme, which Apple
// Mail and others follow), in a 600 px reading pane and on a 375 px phone: axe-core finds no
// serious or critical WCAG A/AA violation. The mail's images are not fetched (no network here);
// their alt text stands in, as in a client that blocks images.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { sentMails } from '../helpers/sent-mails.js';
import { expectAccessible, launchChromium } from './harness.js';

const MAILS = await sentMails();
const VIEWS = [
  { scheme: 'light', width: 600 },
  { scheme: 'light', width: 375 },
  { scheme: 'dark', width: 600 },
  { scheme: 'dark', width: 375 },
] as const;

describe('every mail read with assistive technology', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it.each(MAILS)(
    '$name has no serious or critical axe finding, light or dark, wide or narrow',
    { timeout: 60_000 },
    async ({ name, html }) => {
      for (const { scheme, width } of VIEWS) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.route('**/*', (route) => route.abort());
        await page.emulateMedia({ colorScheme: scheme });
        await page.setContent(html);
        await expectAccessible(page, `${name}, ${scheme}, ${width} px`);
        await page.close();
      }
    },
  );
});
