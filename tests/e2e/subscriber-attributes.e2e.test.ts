// A subscriber's attributes edited as rows of key, type and value in the staff web app, in real
// Chromium: what is saved is the API's JSON object, numbers as numbers and dates as YYYY-MM-DD.
// And the page's other action on a pending subscriber: their confirmation mail again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

describe("a subscriber's attributes", () => {
  let b: BrowserApp;
  let id: number;
  const stored = async () =>
    (await (await b.app.request('GET', `/api/subscribers/${id}`)).json()) as {
      name: string;
      attributes: Record<string, unknown>;
    };

  beforeAll(async () => {
    b = await startBrowserApp('attributes');
    await b.signIn();
    // true is a value no row type edits: the screen must keep it.
    const res = await b.app.request('POST', '/api/subscribers', {
      json: { email: 'dora@example.org', status: 'active', attributes: { volunteer: true } },
    });
    expect(res.status).toBe(201);
    id = ((await res.json()) as { id: number }).id;
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const attribute = (n: number, part: 'key' | 'type' | 'value') =>
    b.page.getByLabel(`Attribute ${n} ${part}`, { exact: true });
  const focused = () => b.page.evaluate(() => document.activeElement?.getAttribute('aria-label'));

  it('adds a text, a number and a date, keeps them with their types, and removes one', async () => {
    const { page } = b;
    await b.open(`/admin/subscribers/${id}`);
    const attributes = page.getByRole('group', { name: 'Attributes' });
    // The value no type can edit is shown as it is, read-only, with why.
    expect(await attribute(1, 'key').inputValue()).toBe('volunteer');
    expect(await attribute(1, 'key').isEditable()).toBe(false);
    await attributes.getByText('Kept as it is').waitFor();
    expect(await attribute(1, 'value').count()).toBe(0);

    // By keyboard: Add attribute puts focus in the new row's key, Tab walks key, type, value.
    await attributes.getByRole('button', { name: 'Add attribute' }).focus();
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('Attribute 2 key');
    await page.keyboard.type('city');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Attribute 2 type');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Lisbon');

    await attributes.getByRole('button', { name: 'Add attribute' }).click();
    await attribute(3, 'key').fill('age');
    await attribute(3, 'type').selectOption({ label: 'Number' });
    await attribute(3, 'value').fill('41');
    await attributes.getByRole('button', { name: 'Add attribute' }).click();
    await attribute(4, 'key').fill('joined');
    await attribute(4, 'type').selectOption({ label: 'Date' });
    await attribute(4, 'value').fill('2025-03-14');
    await b.screenshot('rows');
    await b.expectAccessible('attribute rows');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();

    // After a reload each value comes back as its type.
    await page.reload();
    await attribute(4, 'key').waitFor();
    const rows = [];
    for (const n of [2, 3, 4]) {
      rows.push([
        await attribute(n, 'key').inputValue(),
        await attribute(n, 'type').inputValue(),
        await attribute(n, 'value').getAttribute('type'),
        await attribute(n, 'value').inputValue(),
      ]);
    }
    expect(rows).toEqual([
      ['city', 'text', 'text', 'Lisbon'],
      ['age', 'number', 'number', '41'],
      ['joined', 'date', 'date', '2025-03-14'],
    ]);

    await attributes.getByRole('button', { name: 'Remove attribute 2' }).click();
    // Focus goes to the row that took its place.
    expect(await focused()).toBe('Attribute 2 key');
    expect(await attribute(2, 'key').inputValue()).toBe('age');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();
    expect(JSON.stringify((await stored()).attributes)).toBe('{"volunteer":true,"age":41,"joined":"2025-03-14"}');
  });

  it('names the row of a duplicate key and saves nothing', async () => {
    const { page } = b;
    await b.open(`/admin/subscribers/${id}`);
    const before = await stored();
    const patches: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request.url());
    });

    await page.getByLabel('Name', { exact: true }).fill('Dora');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await attribute(4, 'key').fill('age');
    await attribute(4, 'value').fill('forty');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Attribute 4 key: is already the key of attribute 2').waitFor();
    expect(await attribute(4, 'key').getAttribute('aria-invalid')).toBe('true');
    expect(await focused()).toBe('Attribute 4 key');
    await b.screenshot('duplicate-key');
    await b.expectAccessible('attribute rows with a duplicate key');

    // The message follows the fix, and another key saves.
    await attribute(4, 'key').fill('nickname');
    await expect.poll(() => page.getByText('is already the key').count()).toBe(0);
    expect(patches).toEqual([]);
    expect(await stored()).toEqual(before);
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it("shows the server's refusal of a key on that key's row", async () => {
    const { page, app } = b;
    // The form refuses every key the server would, so the server's own answer about a reserved
    // name stands in for a refusal the form did not foresee, said of a key on the form.
    const refusal = await app.request('PATCH', `/api/subscribers/${id}`, { json: { attributes: { constructor: 1 } } });
    expect(refusal.status).toBe(400);
    const body = JSON.stringify(await refusal.json()).replaceAll('attributes.constructor', 'attributes.joined');
    await page.route(`**/api/subscribers/${id}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({ status: refusal.status, contentType: 'application/json', body })
        : route.continue(),
    );
    await b.open(`/admin/subscribers/${id}`);
    await attribute(3, 'value').fill('2025-04-01');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Attribute 3: is a reserved name').waitFor();
    expect(await attribute(3, 'key').getAttribute('aria-invalid')).toBe('true');
    expect(await attribute(2, 'key').getAttribute('aria-invalid')).toBeNull();
    await page.unroute(`**/api/subscribers/${id}`);
  });

  it('queues a pending subscriber their confirmation again, and offers it to no one else', async () => {
    const { page } = b;
    const res = await b.app.request('POST', '/api/subscribers', { json: { email: 'eva@example.org' } });
    await b.open(`/admin/subscribers/${((await res.json()) as { id: number }).id}`);
    await page.getByRole('button', { name: 'Resend confirmation' }).click();
    await page.getByRole('status').filter({ hasText: 'Confirmation mail queued to eva@example.org.' }).waitFor();
    await b.expectAccessible('confirmation queued');
    await b.open(`/admin/subscribers/${id}`);
    await attribute(1, 'key').waitFor();
    expect(await page.getByRole('button', { name: 'Resend confirmation' }).count()).toBe(0);
  });

  it('fits a phone', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 390, height: 844 });
    await b.open(`/admin/subscribers/${id}`);
    await attribute(3, 'value').waitFor();
    await b.screenshot('rows-phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(b.consoleErrors).toEqual([]);
  });
});
