// The staff web app on a phone (390 px wide): no screen scrolls sideways, the navigation folds
// behind a menu button, the report's charts follow the window. Every screen is also saved at
// 1440 px, to look at both.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const SETUP_CODE = 'ABCD-EFGH';

/** How far the page reaches past the right edge of the window, in CSS pixels (0: no sideways scroll). */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * What reaches past the window's right edge, outermost first: the elements that no scrolling box
 * around them holds in (a box clips an absolutely positioned element only when it contains the
 * element's containing block).
 */
const overflowing = (page: Page) =>
  page.evaluate(() => {
    const escapes = (element: HTMLElement) => {
      const absolute = ['absolute', 'fixed'].includes(getComputedStyle(element).position);
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
        if (getComputedStyle(box).overflowX === 'visible') continue;
        if (!absolute || (element.offsetParent && box.contains(element.offsetParent))) return false;
      }
      return true;
    };
    const found = [...document.body.querySelectorAll<HTMLElement>('*')].filter(
      (element) => element.getBoundingClientRect().right > window.innerWidth + 0.5 && escapes(element),
    );
    return found
      .filter((element) => !found.includes(element.parentElement!))
      .map((element) => {
        const rect = element.getBoundingClientRect();
        const name = `${element.tagName.toLowerCase()}${[...element.classList].map((c) => `.${c}`).join('')}`;
        const text = (element.textContent ?? '').trim().slice(0, 40);
        return `${name} (${Math.round(rect.left)}–${Math.round(rect.right)} px) “${text}”`;
      });
  });

describe('the staff app on a small screen', () => {
  let b: BrowserApp;
  let bulletinId: number;
  let campaignId: number;
  let subscriberId: number;
  let signedIn = false;
  /** Signs in as an admin once, after the screens seen signed out (or at once, when those are filtered out). */
  const asAdmin = async () => {
    if (!signedIn) await b.signIn('admin@small-screens.example.org');
    signedIn = true;
  };

  beforeAll(async () => {
    b = await startBrowserApp('small', 'sqlite', { setupCode: SETUP_CODE });
    const { app } = b;
    bulletinId = await sendableBulletin(app);
    // An endpoint nothing listens at, for the webhooks screen: the imports' events fail there, with errors to show.
    await app.request('POST', '/api/webhooks', {
      json: {
        url: 'http://127.0.0.1:9/hooks/a-long-path-for-the-crm',
        description: 'CRM',
        events: ['subscriber.created'],
      },
    });
    await importAudience(app, 6, 'reader', 'small.org');
    await importAudience(app, 3, 'early', 'earlier.org');
    // An earlier send (of a copy: a bulletin goes to the same people once), so the report has a
    // comparison to chart, then the send whose report is shown.
    const copy = (await (await app.request('POST', `/api/bulletins/${bulletinId}/duplicate`)).json()).id;
    const earlier = await (
      await app.request('POST', `/api/bulletins/${copy}/send`, { json: { rule: { emailDomain: 'earlier.org' } } })
    ).json();
    await waitForCampaign(app, earlier.id, ['sent']);
    const campaign = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { emailDomain: 'small.org' } } })
    ).json();
    await waitForCampaign(app, campaign.id, ['sent']);
    campaignId = campaign.id;
    subscriberId = (await (await app.request('GET', '/api/subscribers?email=reader1@small.org')).json()).data[0].id;
    await app.stores.staff.createUser({
      email: 'an.editor.with.a.long.address@small-screens.example.org',
      password: 'a long enough password',
      role: 'editor',
    });
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('shows the first-run screen and its refusal in words, without sideways scroll', async () => {
    const { page } = b;
    await page.setViewportSize(PHONE);
    await b.open('/admin/setup');
    await page.getByLabel('One-time code').fill('WRON-GCOD');
    await page.getByLabel('Email').fill('first@example.org');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The setup code is wrong' }).waitFor();
    // The server's message names the command: it reads as words with the command as code, not Markdown.
    expect(await page.locator('main').innerText()).not.toContain('`');
    await page
      .locator('.field-error')
      .filter({ hasText: 'npm start' })
      .locator('code', { hasText: 'npm start' })
      .waitFor();
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshots(b, 'setup-refused');
  });

  it('fits the sign-in screen', async () => {
    const { page } = b;
    await b.open('/admin/signin');
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshots(b, 'signin');
  });

  // Each screen of the app (its pattern in App.tsx), with what it waits for before it is measured;
  // a few dialogs too, opened with `open`.
  const screens: {
    name: string;
    pattern: string;
    path: () => string;
    open?(page: Page): Promise<void>;
    ready(page: Page): Locator;
  }[] = [
    {
      // Home: the setup checklist, a test send still to do.
      name: 'home',
      pattern: '',
      path: () => '/admin',
      ready: (page) => page.getByRole('heading', { level: 1, name: 'Setup checklist' }),
    },
    {
      name: 'bulletins',
      pattern: '/bulletins',
      path: () => '/admin/bulletins',
      ready: (page) => page.getByRole('row', { name: /Launch, petition/ }),
    },
    {
      name: 'composer',
      pattern: '/bulletins/:id',
      path: () => `/admin/bulletins/${bulletinId}`,
      ready: (page) => page.getByText(/^Saved at/),
    },
    {
      name: 'send',
      pattern: '/bulletins/:id/send',
      path: () => `/admin/bulletins/${bulletinId}/send`,
      ready: (page) =>
        page.getByRole('region', { name: 'Who gets it' }).getByRole('status').filter({ hasText: 'eligible' }),
    },
    {
      name: 'rule-builder',
      pattern: '/bulletins/:id/send',
      path: () => `/admin/bulletins/${bulletinId}/send`,
      // A condition, and a group inside the rule with a condition of its own: the deepest the screen nests.
      async open(page) {
        const rule = page.getByRole('group', { name: 'Rule' });
        await rule.getByRole('button', { name: 'Add condition' }).last().click();
        await page.getByRole('group', { name: 'Condition 1' }).getByLabel('Type').selectOption({ label: 'Attribute' });
        await rule.getByRole('button', { name: 'Add group' }).last().click();
      },
      ready: (page) => page.getByRole('group', { name: 'Condition 2.1' }),
    },
    {
      name: 'library',
      pattern: '/library',
      path: () => '/admin/library',
      ready: (page) => page.getByRole('heading', { name: 'Bulletin templates' }),
    },
    {
      // Empty: its grid of images is measured at 390 px by media.e2e.test.ts.
      name: 'media',
      pattern: '/media',
      path: () => '/admin/media',
      ready: (page) => page.getByText(/^No images yet/),
    },
    {
      name: 'campaigns',
      pattern: '/campaigns',
      path: () => '/admin/campaigns',
      ready: (page) => page.getByRole('row', { name: /Launch, petition/ }).nth(1),
    },
    {
      name: 'campaign',
      pattern: '/campaigns/:id',
      path: () => `/admin/campaigns/${campaignId}`,
      ready: (page) => page.getByRole('table', { name: /This send and the earlier ones/ }),
    },
    {
      name: 'subscribers',
      pattern: '/subscribers',
      path: () => '/admin/subscribers',
      ready: (page) => page.getByRole('link', { name: 'reader1@small.org' }),
    },
    {
      name: 'add-subscriber',
      pattern: '/subscribers',
      path: () => '/admin/subscribers',
      open: (page) => page.getByRole('button', { name: 'Add subscriber' }).click(),
      ready: (page) => page.getByRole('dialog', { name: 'Add a subscriber' }),
    },
    {
      name: 'subscriber',
      pattern: '/subscribers/:id',
      path: () => `/admin/subscribers/${subscriberId}`,
      ready: (page) =>
        page
          .getByRole('table', { name: /Consent history/ })
          .getByRole('row')
          .nth(1),
    },
    {
      name: 'import',
      pattern: '/subscribers/import',
      path: () => '/admin/subscribers/import',
      ready: (page) => page.getByLabel('CSV file'),
    },
    {
      name: 'topics',
      pattern: '/topics',
      path: () => '/admin/topics',
      ready: (page) => page.getByRole('row', { name: /weekly-bulletin/ }),
    },
    {
      name: 'new-topic',
      pattern: '/topics',
      path: () => '/admin/topics',
      open: (page) => page.getByRole('button', { name: 'New topic' }).click(),
      ready: (page) => page.getByRole('dialog', { name: 'New topic' }),
    },
    {
      name: 'settings',
      pattern: '/settings',
      path: () => '/admin/settings',
      ready: (page) => page.getByLabel('Organisation name'),
    },
    {
      name: 'wording',
      pattern: '/settings/wording',
      path: () => '/admin/settings/wording',
      ready: (page) => page.getByLabel('Language of the words'),
    },
    {
      name: 'webhooks',
      pattern: '/settings/webhooks',
      path: () => '/admin/settings/webhooks',
      open: (page) => page.getByRole('button', { name: 'Delivery log' }).click(),
      ready: (page) => page.getByRole('row', { name: /subscriber\.created/ }),
    },
    {
      name: 'staff',
      pattern: '/staff',
      path: () => '/admin/staff',
      ready: (page) => page.getByText('an.editor.with.a.long.address@small-screens.example.org'),
    },
    {
      name: 'tokens',
      pattern: '/tokens',
      path: () => '/admin/tokens',
      ready: (page) => page.getByRole('row', { name: /editor/ }),
    },
    {
      name: 'audit',
      pattern: '/audit',
      path: () => '/admin/audit',
      ready: (page) => page.getByText('admin@small-screens.example.org signed in'),
    },
  ];

  it('visits every screen of the app', () => {
    // The screens App.tsx routes, read from its source: a new screen fails here until it is added above.
    const routed = [
      ...readFileSync(join(import.meta.dirname, '../../src/ui/App.tsx'), 'utf8').matchAll(/\{ pattern: '([^']*)'/g),
    ].map((match) => match[1]);
    expect(routed.length).toBeGreaterThan(10);
    expect(new Set(screens.map((screen) => screen.pattern))).toEqual(new Set(routed));
  });

  it.each(screens.map((screen) => [screen.name, screen] as const))(
    'does not scroll sideways at 390 px, nor after the window narrows: %s',
    async (_name, screen) => {
      const { page } = b;
      await asAdmin();
      await page.setViewportSize(PHONE);
      await b.open(screen.path());
      await screen.open?.(page);
      await screen.ready(page).first().waitFor();
      await expect.poll(() => page.locator('.loading').count()).toBe(0);
      expect(
        await sidewaysOverflow(page),
        `${screen.name} is wider than the window: ${(await overflowing(page)).join('; ')}`,
      ).toBe(0);
      // Saved at 390 and 1440 px; back at 390 px, what sized itself to the wide window must narrow again.
      await screenshots(b, screen.name);
      expect(
        await sidewaysOverflow(page),
        `${screen.name} stays wider than the window after it narrowed: ${(await overflowing(page)).join('; ')}`,
      ).toBe(0);
    },
  );

  it('does not scroll sideways on a path that is no screen', async () => {
    const { page } = b;
    await asAdmin();
    await b.open('/admin/no-such-screen');
    await page.getByRole('heading', { name: 'Nothing here' }).waitFor();
    expect(await sidewaysOverflow(page)).toBe(0);
  });

  it('folds the navigation into one row behind a menu button that opens it, by mouse and by keyboard', async () => {
    const { page } = b;
    await asAdmin();
    await page.setViewportSize(PHONE);
    await b.open('/admin/bulletins');
    const bar = page.locator('.top-bar');
    expect((await bar.boundingBox())!.height).toBeLessThan(60);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const menu = nav.getByRole('button', { name: 'Menu' });
    const subscribers = nav.getByRole('link', { name: 'Subscribers' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    const controlled = page.locator(`#${await menu.getAttribute('aria-controls')}`);
    expect(await controlled.count()).toBe(1);
    expect(await controlled.isVisible()).toBe(false);
    expect(await subscribers.isVisible()).toBe(false);

    // By keyboard: Enter opens it, Tab goes into its links, Escape closes it and focus is back on the button.
    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await subscribers.waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Bulletins');
    await screenshots(b, 'menu-open');
    await b.expectAccessible('menu-open');
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await subscribers.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu');

    // A link closes it, whether it goes elsewhere or to the screen already shown; so does going back.
    await menu.click();
    await subscribers.click();
    await page.getByRole('heading', { level: 1, name: 'Subscribers' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Bulletins' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    await nav.getByRole('link', { name: 'Bulletins' }).click();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');

    // On a wide window the links are shown in the bar and there is no menu button.
    await page.setViewportSize(DESKTOP);
    await subscribers.waitFor();
    expect(await menu.isVisible()).toBe(false);
    expect((await bar.boundingBox())!.height).toBeLessThan(60);
  });

  it('narrows the report’s charts with the window', async () => {
    const { page } = b;
    await asAdmin();
    await page.setViewportSize(DESKTOP);
    await b.open(`/admin/campaigns/${campaignId}`);
    const charts = page.locator('.chart-box canvas');
    await expect.poll(() => charts.count()).toBe(4);
    const widest = async () =>
      Math.max(
        ...(await charts.evaluateAll((canvases) => canvases.map((canvas) => canvas.getBoundingClientRect().right))),
      );
    expect(await widest()).toBeGreaterThan(PHONE.width);
    await page.setViewportSize(PHONE);
    // Chart.js resizes a chart on the frame after its box narrows.
    await expect.poll(widest).toBeLessThanOrEqual(PHONE.width);
    expect(await sidewaysOverflow(page), (await overflowing(page)).join('; ')).toBe(0);
    await b.screenshot('report-narrowed-390');
  });

  it('goes from the top of the composer to its checks and preview, past none of its blocks, at 390 px', async () => {
    const { page } = b;
    await asAdmin();
    await page.setViewportSize(PHONE);
    await b.open(`/admin/bulletins/${bulletinId}`);
    await page.getByText(/^Saved at/).waitFor();
    const checks = page.getByRole('heading', { level: 2, name: 'Checks' });
    const preview = page.getByRole('heading', { level: 2, name: 'Preview' });
    const blocks = page.getByRole('heading', { level: 2, name: 'Blocks' });
    const jumps = page.getByRole('navigation', { name: 'Go to' });
    const toChecks = jumps.getByRole('link', { name: /^Checks/ });
    // The checks come after the ten blocks; the link to them is on the first screen, with what they found.
    expect(await inWindow(checks)).toBe(false);
    expect(await inWindow(toChecks)).toBe(true);
    await jumps.getByRole('link', { name: /^Checks (\d+ (errors?|warnings?)|✓ nothing to fix)$/ }).waitFor();
    await screenshots(b, 'composer-top');

    // By mouse: the checks' heading is in view below the bar, which stays, and has the focus.
    await toChecks.click();
    await expect.poll(() => inWindow(checks)).toBe(true);
    expect(await isFocused(checks)).toBe(true);
    expect(await inWindow(jumps)).toBe(true);
    expect((await checks.boundingBox())!.y).toBeGreaterThanOrEqual(
      (await jumps.boundingBox())!.y + (await jumps.boundingBox())!.height,
    );
    await b.screenshot('composer-checks-390');

    // By keyboard: to the preview, and back to the blocks.
    await jumps.getByRole('link', { name: 'Preview' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => inWindow(preview)).toBe(true);
    expect(await isFocused(preview)).toBe(true);
    await jumps.getByRole('link', { name: 'Blocks' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => inWindow(blocks)).toBe(true);
    expect(await isFocused(blocks)).toBe(true);
    await b.expectAccessible('composer-jumps');

    // Where the checks and preview sit beside the blocks, there is no bar.
    await page.setViewportSize(DESKTOP);
    await expect.poll(() => jumps.isVisible()).toBe(false);
    await page.setViewportSize(PHONE);
  });

  it('keeps the send button on the screen at 390 px, from the top of the send screen to its end', async () => {
    const { page } = b;
    await asAdmin();
    await page.setViewportSize(PHONE);
    await b.open(`/admin/bulletins/${bulletinId}/send`);
    const counts = page.getByRole('region', { name: 'Who gets it' });
    await counts.getByRole('status').filter({ hasText: 'eligible' }).waitFor();
    const send = page.getByRole('button', { name: 'Review and send…' });
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(await inWindow(send)).toBe(true);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    expect(await inWindow(send)).toBe(true);
    // At the end it rests below who it reaches, covering none of it.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const countsBox = (await counts.boundingBox())!;
    expect((await send.boundingBox())!.y).toBeGreaterThan(countsBox.y + countsBox.height);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshots(b, 'send-top');
    await page.evaluate(() => window.scrollTo(0, 1200));
    await page.evaluate(() => window.scrollTo(0, 0));
    await send.click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
  });
});

/** Whether the element is wholly inside the window as it is scrolled now. */
async function inWindow(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= (await locator.page().evaluate(() => window.innerHeight));
}

const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);

/** Saves the screen at 390 px and at 1440 px, and leaves the window at 390 px. */
async function screenshots(b: BrowserApp, name: string): Promise<void> {
  await b.page.setViewportSize(PHONE);
  await b.screenshot(`${name}-390`);
  await b.page.setViewportSize(DESKTOP);
  await b.page.waitForTimeout(200);
  await b.screenshot(`${name}-1440`);
  await b.page.setViewportSize(PHONE);
  await b.page.waitForTimeout(200);
}
