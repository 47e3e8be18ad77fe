// The composer's previews beyond the mail as sent: its line in Gmail's inbox on a computer and a
// phone (sender, subject and preheader with their cuts), the mail in a client's dark mode, and the
// mail with images blocked; each checked with axe and looked at, at 1440 and 390 px.
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../src/bulletins/document.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { ARTIFACTS, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const IMAGE_HOST = 'images.example.org';
const IMAGE: Extract<Block, { type: 'image' }> = {
  type: 'image',
  src: `https://${IMAGE_HOST}/march.jpg`,
  alt: { en: 'Marchers at the Capitol', es: 'Manifestantes en el Capitolio' },
};
const EXAMPLE = exampleBulletin();
const BULLETIN = {
  ...EXAMPLE,
  title: 'Previews',
  subject: { ...EXAMPLE.subject, es: 'Ya son 100 días, {{first_name|amiga}}: la petición llega al Capitolio' },
  preheader: {
    ...EXAMPLE.preheader,
    es: 'Firma antes del viernes y comparte con tu familia: cada firma cuenta para la entrega.',
  },
  blocks: [IMAGE, ...EXAMPLE.blocks],
};
const SENDER = 'Red Nacional por los Derechos de Inmigrantes';
/** The masthead's logo has the organisation's name for its alt text. */
const ORGANISATION = 'Red Nacional';

describe('the composer’s previews', () => {
  let b: BrowserApp;

  beforeAll(async () => {
    b = await startBrowserApp('previews');
    await b.app.request('PUT', '/api/settings', {
      json: {
        organisationName: ORGANISATION,
        senderName: SENDER,
        senderEmail: 'boletin@example.org',
        logoUrl: `https://${IMAGE_HOST}/logo.png`,
      },
    });
    const { id } = await (await b.app.request('POST', '/api/bulletins', { json: BULLETIN })).json();
    await b.signIn();
    await b.open(`/admin/bulletins/${id}`);
    await b.page.getByRole('heading', { level: 1, name: 'Previews' }).waitFor();
    await preview().getByRole('radio', { name: 'Spanish' }).check();
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const preview = () => b.region('Preview');
  const frame = (title: string) => b.page.locator(`iframe[title="${title}"]`);
  /** What a sighted reader sees: the text without what is there for screen readers only. */
  const visibleText = (scope: Locator) =>
    scope.evaluate((element) => {
      const copy = element.cloneNode(true) as Element;
      for (const hidden of copy.querySelectorAll('.visually-hidden')) hidden.remove();
      return copy.textContent!.replace(/\s+/g, ' ').trim();
    });
  /** The pane's first 1000 px: the mail below is the same in every look. */
  const shot = async (scope: Locator, name: string) => {
    await scope.scrollIntoViewIfNeeded();
    const box = (await scope.boundingBox())!;
    // The box is the window's; a full-page clip is the page's.
    const scrolled = await b.page.evaluate(() => window.scrollY);
    const clip = { ...box, y: box.y + scrolled, height: Math.min(box.height, 1000) };
    await b.page.screenshot({ path: join(ARTIFACTS, `previews-${name}.png`), clip, fullPage: true });
  };

  it('shows the inbox line with the sender from settings, the fallbacks and Gmail’s cuts', async () => {
    await preview().getByRole('radio', { name: 'Inbox' }).check();
    const inbox = preview().getByRole('region', { name: 'Inbox in Spanish' });
    const computer = inbox.getByTestId('inbox-computer');
    await computer.waitFor();
    expect(await visibleText(computer.locator('.inbox-sender'))).toBe('Red Nacional por los…');
    expect(await visibleText(computer.locator('.inbox-line'))).toBe(
      'Ya son 100 días, amiga: la petición llega al Capitolio - Firma antes del viernes y comparte con tu familia: ca…',
    );
    const phone = inbox.getByTestId('inbox-phone');
    const phoneLines = await Promise.all(
      ['.inbox-sender', '.inbox-subject', '.inbox-preheader'].map((line) => visibleText(phone.locator(line))),
    );
    expect(phoneLines).toEqual([
      'Red Nacional por los Dere…',
      'Ya son 100 días, amiga: la petición…',
      'Firma antes del viernes y comparte con t…',
    ]);
    // Each cut is marked, and named for screen readers.
    expect(await computer.locator('.inbox-cut').count()).toBe(2);
    expect(await phone.locator('.inbox-cut').count()).toBe(3);
    expect(await phone.locator('.inbox-cut').first().textContent()).toBe('… (cut here)');
    const notes = await inbox.getByRole('listitem').allInnerTexts();
    expect(notes).toEqual([
      'Subject and preheader: ~110 of 142 characters shown on a computer, in one line',
      'Subject: ~36 of 54 characters shown on a phone',
      'Preheader: ~40 of 85 characters shown on a phone',
      'Sender: ~25 of 44 characters shown on a phone',
    ]);
    expect(await preview().getByRole('link', { name: 'Open in a new tab' }).count()).toBe(0);
    await b.expectAccessible('inbox preview');
    await shot(preview(), 'inbox-1440');
  });

  it('shows the mail in dark mode: the theme’s dark rules applied in the frame', async () => {
    await preview().getByRole('radio', { name: 'Mail' }).check();
    await preview().getByRole('radio', { name: 'Dark mode' }).check();
    const dark = frame('Preview: Spanish, desktop width, dark mode');
    await dark.contentFrame().getByRole('img', { name: IMAGE.alt.es }).waitFor();
    await expect
      .poll(() =>
        dark
          .contentFrame()
          .locator('body')
          .evaluate((body) => getComputedStyle(body).backgroundColor),
      )
      .toBe('rgb(22, 20, 18)');
    const paper = dark.contentFrame().locator('.paper').first();
    expect(await paper.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(36, 33, 30)');
    expect(await preview().getByRole('link', { name: 'Open in a new tab' }).getAttribute('href')).toContain(
      'scheme=dark',
    );
    await b.expectAccessible('dark mode preview');
    await shot(preview(), 'dark-1440');
  });

  it('shows the mail with images off: no image loads, each alt text in its place', async () => {
    const requested: string[] = [];
    b.page.on('request', (request) => {
      if (new URL(request.url()).hostname === IMAGE_HOST) requested.push(request.url());
    });
    await preview().getByRole('radio', { name: 'Images off' }).check();
    const off = frame('Preview: Spanish, desktop width, images off').contentFrame();
    const alts = off.locator('.image-off');
    await alts.first().waitFor();
    expect(await alts.allInnerTexts()).toEqual([ORGANISATION, IMAGE.alt.es]);
    for (const alt of await alts.all()) expect(await alt.isVisible()).toBe(true);
    expect(await off.locator('img').count()).toBe(0);
    expect(requested).toEqual([]);
    await b.expectAccessible('images off preview');
    await shot(preview(), 'images-off-1440');
  });

  it('fits 390 px: the controls wrap, the inbox line and the mail stay inside the window', async () => {
    await b.page.setViewportSize({ width: 390, height: 844 });
    const overflow = () => b.page.evaluate(() => document.documentElement.scrollWidth);
    await preview().scrollIntoViewIfNeeded();
    expect(await overflow()).toBeLessThanOrEqual(390);
    await shot(preview(), 'images-off-390');
    await preview().getByRole('radio', { name: 'Inbox' }).check();
    await preview().getByTestId('inbox-phone').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(390);
    for (const row of ['inbox-computer', 'inbox-phone']) {
      const box = (await preview().getByTestId(row).boundingBox())!;
      expect(box.x + box.width, row).toBeLessThanOrEqual(390);
      // Every cut mark shows inside its row, none hidden by the row's edge.
      for (const mark of await preview().getByTestId(row).locator('.inbox-cut').all()) {
        const at = (await mark.boundingBox())!;
        expect(at.x + at.width, row).toBeLessThanOrEqual(box.x + box.width);
      }
    }
    await b.expectAccessible('inbox preview at 390 px');
    await shot(preview(), 'inbox-390');
  });
});
