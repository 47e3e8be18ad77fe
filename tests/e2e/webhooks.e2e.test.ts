// The Webhooks screen in real Chromium: an admin adds an endpoint pointing at a receiver on this
// machine, copies its secret, sends a test event the worker delivers signed, watches it arrive in
// the delivery log, disables and enables the endpoint, and deletes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

describe('the webhooks screen', () => {
  let b: BrowserApp;
  const receiver = new WebhookReceiver();
  let url: string;
  beforeAll(async () => {
    url = await receiver.start();
    b = await startBrowserApp('webhooks');
    await b.signIn('admin@example.org');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await receiver.close();
    removeStaffAppBuild();
  });

  const endpoints = async () => (await (await b.app.request('GET', '/api/webhooks')).json()).data;

  it('refuses an endpoint without events, or with an address it may not use, at the field', async () => {
    const { page } = b;
    await b.open('/admin/settings');
    await page.getByRole('link', { name: 'Webhooks — send events to your CRM' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No endpoints yet').waitFor();
    // Every event is ticked to start with.
    expect(await page.getByRole('checkbox', { checked: false }).count()).toBe(0);
    await page.getByRole('link', { name: /JSON Schema/ }).waitFor();

    await page.getByLabel('Endpoint URL').fill('http://crm.example.org/hooks');
    await page.getByLabel('All events').uncheck();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('group', { name: 'Events' }).locator('.field-error', { hasText: 'at least one' }).waitFor();

    await page.getByLabel('subscriber.erased').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const urlField = page.getByLabel('Endpoint URL');
    await page.locator('.field-error', { hasText: 'must be an https URL (or http to this machine' }).waitFor();
    expect(await urlField.getAttribute('aria-invalid')).toBe('true');
    expect(await urlField.getAttribute('aria-describedby')).toContain('error');
    expect(await endpoints()).toEqual([]);
  });

  it('adds an endpoint, shows its secret once, and delivers a signed test event to it', async () => {
    const { page } = b;
    await b.open('/admin/settings/webhooks');
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('Description').fill('CRM');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    receiver.secret = secret;
    await page.getByText('This is the only time it is shown').waitFor();
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Signing secret' }).count()).toBe(0);
    expect(await page.content()).not.toContain(secret.slice(6));

    const endpoint = b.region(url);
    await endpoint.getByText('Enabled').waitFor();
    await endpoint.getByText('Events: all').waitFor();
    await endpoint.getByRole('button', { name: 'Send a test event' }).click();
    await endpoint.getByRole('status').filter({ hasText: 'A test event was sent' }).waitFor();
    // The log reads itself again until the worker has delivered it: no click needed.
    const row = endpoint.getByRole('row').filter({ hasText: 'webhook.test' });
    await row.getByText('delivered').waitFor({ timeout: 15_000 });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(
      expect.arrayContaining(['webhook.test', 'delivered', '204', '1']),
    );
    expect(receiver.forged).toEqual([]);
    expect(receiver.of('webhook.test')).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);

    await b.screenshot('endpoint-1440');
    await b.expectAccessible('webhooks');
    await page.setViewportSize({ width: 390, height: 844 });
    await b.screenshot('endpoint-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('disables and enables an endpoint, and deletes it with its log', async () => {
    const { page } = b;
    await b.open('/admin/settings/webhooks');
    const endpoint = b.region(url);
    await endpoint.getByRole('button', { name: 'Disable' }).click();
    await endpoint.getByRole('status').filter({ hasText: 'Disabled: no events are sent to it.' }).waitFor();
    await endpoint.getByText('Disabled by an admin').waitFor();
    expect(await endpoints()).toEqual([expect.objectContaining({ enabled: false })]);

    await endpoint.getByRole('button', { name: 'Enable' }).click();
    await endpoint.getByRole('status').filter({ hasText: 'Enabled: events are sent to it again.' }).waitFor();
    expect(await endpoints()).toEqual([expect.objectContaining({ enabled: true, disabledReason: null })]);

    await endpoint.getByRole('button', { name: `Delete ${url}` }).click();
    await page
      .getByRole('dialog', { name: 'Delete this endpoint?' })
      .getByRole('button', { name: 'Delete endpoint' })
      .click();
    await page
      .getByRole('status')
      .filter({ hasText: `The endpoint ${url} was deleted.` })
      .waitFor();
    await page.getByText('No endpoints yet').waitFor();
    expect(await endpoints()).toEqual([]);
  });
});
