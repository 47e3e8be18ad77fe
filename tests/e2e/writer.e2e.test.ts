// The staff app as a writer, in real Chromium: only the screens a writer may use, a send screen
// that says sending needs an editor's approval (with no audience form), and test copies to their own addresses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendableBulletin } from '../helpers/campaigns.js';
import { field, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

describe('the staff app as a writer', () => {
  let b: BrowserApp;
  let bulletinId: number;

  beforeAll(async () => {
    b = await startBrowserApp('writer');
    bulletinId = await sendableBulletin(b.app);
    await b.signIn('writer@example.org', 'writer');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const navLinks = () => b.page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();

  it('shows only bulletins, the library and media in the navigation; other screens say who may use them', async () => {
    const { page } = b;
    await b.open('/admin/bulletins');
    expect(await navLinks()).toEqual(['Bulletins', 'Library', 'Media']);
    // No delete and no report for a writer; duplicating is theirs.
    const row = page.getByRole('row', { name: /Launch, petition on refugees/ });
    await row.getByRole('button', { name: /^Duplicate/ }).waitFor();
    expect(await row.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    await b.screenshot('bulletins-1440');
    await b.open('/admin/subscribers');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Editors and admins only');
    await b.open('/admin/staff');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Admins only');
  });

  it('says on the send screen that sending needs approval, at 1440 and 390 px, with no audience form', async () => {
    const { page } = b;
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width, height });
      await b.open(`/admin/bulletins/${bulletinId}/send`);
      await page.getByRole('heading', { name: 'Sending needs an editor’s approval' }).waitFor();
      expect(await page.getByRole('button', { name: 'Add condition' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Send to/ }).count()).toBe(0);
      await b.screenshot(`send-needs-editor-${width}`);
    }
    await b.expectAccessible('send screen for a writer');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('sends a test to their own addresses: the ones typed are saved as theirs first', async () => {
    const { page } = b;
    await b.open(`/admin/bulletins/${bulletinId}/send`);
    await page.getByRole('link', { name: 'Send a test to yourself' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a test' });
    const addresses = field(dialog, 'Test addresses');
    expect(await addresses.inputValue()).toBe('writer@example.org');
    await addresses.fill('writer@example.org\nwriter.phone@example.org');
    await field(dialog, 'Language').selectOption({ label: 'English' });
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await dialog.getByText('Sent 2 copies (EN) to writer@example.org, writer.phone@example.org.').waitFor();
    const copies = (await b.mails()).filter((mail) => mail.subject.startsWith('[TEST '));
    expect(copies.flatMap((mail) => mail.destination.to).sort()).toEqual([
      'writer.phone@example.org',
      'writer@example.org',
    ]);
    expect((await b.app.stores.staff.findForSignIn('writer@example.org'))?.user.testAddresses).toEqual([
      'writer@example.org',
      'writer.phone@example.org',
    ]);
    await b.screenshot('test-sent');
  });
});
