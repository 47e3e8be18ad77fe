// "Subscribe form for your website" in Settings, in Chromium: the HTML to copy follows the
// language and the topics an admin chooses, and the section reads well at 1440 and 390 pixels
// (screenshots of the section in tests/e2e/artifacts/).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PUBLIC_URL } from '../helpers/app.js';
import { startTags } from '../helpers/html.js';
import { ARTIFACTS, type BrowserApp, field, removeStaffAppBuild, startBrowserApp } from './harness.js';

describe('the subscribe form for the website, in Settings', () => {
  let b: BrowserApp;

  beforeAll(async () => {
    b = await startBrowserApp('subscribe-form-snippet');
    for (const [key, en, es] of [
      ['actions', 'Calls to action', 'Llamados a la acción'],
      ['weekly-bulletin', 'Weekly bulletin', 'Boletín semanal'],
    ])
      await b.app.request('POST', '/api/topics', { json: { key, name: { en, es }, public: true } });
    await b.app.request('POST', '/api/topics', { json: { key: 'members', name: { en: 'Members only' } } });
    await b.signIn();
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const section = () => b.region('Subscribe form for your website');
  const html = () => field(section(), 'HTML of the form').inputValue();

  it('shows the form in the default language, offering every public topic', async () => {
    await b.open('/admin/settings');
    await expect.poll(html).toContain(`action="${TEST_PUBLIC_URL}/subscribe?lang=en"`);
    const snippet = await html();
    expect(snippet).toContain('Email address');
    expect(startTags(snippet, 'input').map(({ name, value, checked }) => [name, value, checked])).toEqual([
      ['email', undefined, undefined],
      ['name', undefined, undefined],
      ['language', 'en', undefined],
      ['topics', 'actions', ''],
      ['topics', 'weekly-bulletin', ''],
      ['website', undefined, undefined],
    ]);
    expect(snippet).not.toContain('members');
    expect(await section().getByRole('checkbox', { name: 'Members only' }).count()).toBe(0);
    await b.expectAccessible('the subscribe form for the website');
    await section().screenshot({ path: join(ARTIFACTS, 'subscribe-form-snippet-wide.png') });
  });

  it('follows the language and the topics chosen', async () => {
    await field(section(), 'Language').selectOption({ label: 'Spanish' });
    await expect.poll(html).toContain(`action="${TEST_PUBLIC_URL}/subscribe?lang=es"`);
    expect(await html()).toContain('Correo electrónico');
    expect(await html()).toContain('Llamados a la acción');

    await section().getByRole('checkbox', { name: 'Calls to action' }).uncheck();
    await expect
      .poll(async () => startTags(await html(), 'input').filter((input) => input.name === 'topics'))
      .toEqual([{ type: 'hidden', name: 'topics', value: 'weekly-bulletin' }]);
    expect(await html()).not.toContain('Llamados');

    await section().getByRole('button', { name: 'Copy HTML' }).click();
    // Headless Chromium may refuse the clipboard: then the HTML is selected for Ctrl+C.
    await expect.poll(() => section().getByRole('status').innerText()).toMatch(/Copied|Ctrl\+C/);
    expect(b.consoleErrors).toEqual([]);
  });

  it('fits a phone', async () => {
    await b.page.setViewportSize({ width: 390, height: 844 });
    await b.open('/admin/settings');
    await expect.poll(html).toContain('Email address');
    const overflow = await b.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await section().screenshot({ path: join(ARTIFACTS, 'subscribe-form-snippet-phone.png') });
  });
});
