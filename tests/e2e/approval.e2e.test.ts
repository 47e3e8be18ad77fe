// Approval before big sends in real Chromium: a writer asks to send, an editor reviews the request
// on the campaign page (the mail in each language, the checks, who it reaches then and now) and
// approves it; a second request is declined with a comment the writer then reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { field, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

describe('approval before big sends', () => {
  let b: BrowserApp;
  let bulletinId: number;

  beforeAll(async () => {
    b = await startBrowserApp('approval');
    bulletinId = await sendableBulletin(b.app);
    await importAudience(b.app, 3, 'reader', 'approval.org');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const signInAs = async (email: string, role: 'writer' | 'editor' | 'admin') => {
    await b.page.context().clearCookies();
    await b.signIn(email, role);
  };
  const newestRequest = async () =>
    (await (await b.app.request('GET', `/api/campaigns?bulletinId=${bulletinId}`)).json()).data[0];

  it('a writer asks; an editor sees the previews, checks and counts, and approves; it is sent', async () => {
    const { page } = b;
    await signInAs('writer@example.org', 'writer');
    await b.open(`/admin/bulletins/${bulletinId}/send`);
    await page.getByRole('heading', { name: 'Sending needs an editor’s approval' }).waitFor();
    await page.getByRole('button', { name: 'Ask for approval' }).click();
    await page.getByText(/^Awaiting approval since/).waitFor();
    await b.screenshot('writer-asked');
    const request = await newestRequest();
    expect(request.state).toBe('awaiting_approval');
    const mails = (await b.mails()).filter((mail) => mail.subject.startsWith('Approval asked'));
    expect(mails.flatMap((mail) => mail.destination.to)).not.toContain('writer@example.org');

    await signInAs('editor@example.org', 'editor');
    await b.open(`/admin/campaigns/${request.id}`);
    const review = b.region('To approve');
    await review
      .getByText('The pre-send checks found nothing to mend.')
      .or(review.locator('.approval-checks'))
      .waitFor();
    await review.locator('iframe[title="The mail in English"]').waitFor();
    await review.getByRole('button', { name: 'Spanish' }).click();
    await review.locator('iframe[title="The mail in Spanish"]').waitFor();
    await page.getByText(/When approval was asked for, it would have gone to 3 subscribers\./).waitFor();
    await page.getByText(/Counted now, it would go to/).waitFor();
    await page.getByText(/approval asked for by writer@example\.org/i).waitFor();
    await b.screenshot('editor-reviews');
    await b.expectAccessible('approval review');
    await page.getByRole('button', { name: 'Approve' }).click();
    const sent = await waitForCampaign(b.app, request.id, ['sent']);
    expect(sent.counts.sent).toBe(3);
  });

  it('a decline with a comment: nothing is sent, and the writer reads why', async () => {
    const { page } = b;
    const { token } = await b.app.stores.staff.createToken({ name: 'drafts', role: 'writer' });
    const asked = await b.app.request('POST', `/api/bulletins/${bulletinId}/send`, {
      token,
      json: { rule: { all: [] }, resend: true },
    });
    const request = await asked.json();
    expect(request.state).toBe('awaiting_approval');
    await b.open(`/admin/campaigns/${request.id}`);
    await page.getByRole('button', { name: 'Decline…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Decline this send' });
    await field(dialog, 'Why (the one who asked reads it)').fill('Wait for the Spanish review');
    await dialog.getByRole('button', { name: 'Decline', exact: true }).click();
    await page.getByText('Declined: Wait for the Spanish review').waitFor();
    expect((await b.app.stores.campaigns.get(request.id)).state).toBe('declined');

    await signInAs('writer2@example.org', 'writer');
    await b.open(`/admin/bulletins/${bulletinId}/send`);
    await page.getByText('Declined: Wait for the Spanish review').waitFor();
    await b.screenshot('writer-reads-decline');
  });

  it('an admin sets the approval threshold in Settings, and empties it again', async () => {
    const { page } = b;
    await signInAs('admin@example.org', 'admin');
    await b.open('/admin/settings');
    const threshold = page.getByLabel('Approval threshold', { exact: true });
    expect(await threshold.inputValue()).toBe('');
    await threshold.fill('1000');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect((await (await b.app.request('GET', '/api/settings')).json()).approvalThreshold).toBe(1000);
    await threshold.fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(async () => (await (await b.app.request('GET', '/api/settings')).json()).approvalThreshold)
      .toBeNull();
  });
});
