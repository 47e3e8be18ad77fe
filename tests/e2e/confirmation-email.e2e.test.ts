// The confirmation mail on the narrowest phone: rendered as sent, opened in Chromium at 320 px,
// it must not scroll sideways, and its written-out link must read as a link.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationEmail } from '../../emails/confirmation.js';
import { launchChromium } from './harness.js';

const input = {
  organisationName: 'National Network for Immigrant and Refugee Rights',
  postalAddress: '310 8th Street, Suite 303, Oakland, CA 94607',
  brandColor: '#b3261e',
  // As long as a real one: a subscriber id, an expiry and a signature.
  confirmUrl: 'https://news.example.org/confirm/MTIzNDU2OjE3OTY5MDAwMDA.Xk3v9aQ1vnNaTH_vjJ38w2',
};

describe('the confirmation mail in a 320 px wide window', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it.each(['en', 'es'])('fits without scrolling sideways, its link underlined and breaking (%s)', async (language) => {
    const mail = await confirmationEmail({ ...input, language });
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await page.setContent(mail.html);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const link = page.locator(`a[href="${input.confirmUrl}"]`, { hasText: 'https://' });
    expect(await link.evaluate((a) => getComputedStyle(a).textDecorationLine)).toBe('underline');
    expect(await page.title()).toBe(mail.subject);
    await page.close();
  });
});
