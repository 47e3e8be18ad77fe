// The Audit trail screen in Chromium: entries in words, filtered by action and by person, older
// entries a page at a time, and no subscriber's address after an erasure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

describe('the audit trail screen', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp('audit');
    await b.signIn('ana@example.org');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('lists who did what, filters by action and person, and pages back', async () => {
    const { page, app } = b;
    await app.request('POST', '/api/subscribers', {
      json: { email: 'rosa@example.org', name: 'Rosa', language: 'es', topics: [] },
    });
    const rosa = (await app.stores.subscribers.list({ email: 'rosa@', perPage: 1 })).data[0]!;
    expect((await app.request('GET', '/api/subscribers/export?language=es')).status).toBe(200);
    expect((await app.request('DELETE', `/api/subscribers/${rosa.id}`)).status).toBe(204);

    await b.open('/admin/audit');
    const list = page.getByRole('list', { name: 'Audit entries, newest first' });
    await list.getByText('API token “admin” erased subscriber').waitFor();
    await list.getByText('API token “admin” exported 1 subscriber (filter: language is es)').waitFor();
    await list.getByText('ana@example.org signed in').waitFor();
    expect(await list.textContent()).not.toContain('rosa@example.org');
    await b.screenshot('audit-1440');
    await b.expectAccessible('audit');

    await page.getByLabel('Action').selectOption('subscribers_exported');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Person').selectOption({ label: 'ana@example.org' });
    await expect
      .poll(() => list.getByRole('listitem').allInnerTexts())
      .toEqual([expect.stringContaining('ana@example.org signed in')]);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    // More than a page: the oldest come with "Older entries".
    const actor = { kind: 'staff' as const, id: 99, name: 'bea@example.org' };
    for (let i = 0; i < 55; i++) {
      await app.stores.audit.record({ actor, action: 'settings_changed', details: { fields: [`field${i}`] } });
    }
    const total = (await app.stores.audit.list({ limit: 200 })).data.length;
    expect(total).toBeGreaterThan(55);
    await page.reload();
    await list.getByText('bea@example.org changed the settings: field54').waitFor();
    expect(await list.getByRole('listitem').count()).toBe(50);
    expect(await list.getByText('ana@example.org signed in').count()).toBe(0);
    await page.getByRole('button', { name: 'Older entries' }).click();
    await list.getByText('ana@example.org signed in').waitFor();
    expect(await list.getByRole('listitem').count()).toBe(total);
    expect(await page.getByRole('button', { name: 'Older entries' }).count()).toBe(0);

    await page.setViewportSize({ width: 390, height: 844 });
    await b.screenshot('audit-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
