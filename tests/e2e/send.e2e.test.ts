// Choosing an audience, sending, watching the send and reading its report, in real Chromium.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriberLifecycle } from '../../src/audience/subscriber-lifecycle.js';
import { SesEventStore } from '../../src/events/ses-event-store.js';
import { recountTallies } from '../../src/sending/delivery-tallies.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

describe('audience, send, progress and report', () => {
  let b: BrowserApp;
  let bulletinId: number;

  beforeAll(async () => {
    b = await startBrowserApp('send');
    const { app } = b;
    bulletinId = await sendableBulletin(app);
    // 12 readers at e2e.org (every third in Spanish), one who left and one who never confirmed.
    await importAudience(app, 12, 'reader', 'e2e.org');
    const left = (await (await app.request('GET', '/api/subscribers?email=reader1@e2e.org')).json()).data[0];
    await app.request('PATCH', `/api/subscribers/${left.id}`, { json: { status: 'unsubscribed' } });
    await app.request('POST', '/api/subscribers', {
      json: { email: 'late@e2e.org', language: 'es', topics: ['weekly-bulletin'] },
    });
    // An earlier send, for the report to compare with.
    await importAudience(app, 4, 'early', 'earlier.org');
    const earlier = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { emailDomain: 'earlier.org' } } })
    ).json();
    await waitForCampaign(app, earlier.id, ['sent']);
    await b.signIn('sender@example.org', 'editor');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('builds a rule, sees who it reaches and why the rest are left out, saves it as a segment', async () => {
    const { page } = b;
    await b.open(`/admin/bulletins/${bulletinId}/send`);
    await page.getByRole('button', { name: 'Add condition' }).click();
    const condition = page.getByRole('group', { name: 'Condition 1' });
    await condition.getByLabel('Type').selectOption({ label: 'Email domain' });
    await condition.getByLabel('Domain').fill('e2e.org');
    const counts = page.getByRole('region', { name: 'Who gets it' });
    await counts.getByRole('status').filter({ hasText: '11 subscribers eligible of 13 selected.' }).waitFor();
    await expect
      .poll(() => counts.getByRole('listitem').allInnerTexts())
      .toEqual(
        expect.arrayContaining([expect.stringMatching(/^1 unsubscribed/), expect.stringMatching(/^1 unconfirmed/)]),
      );
    expect(await counts.getByRole('row', { name: /English/ }).innerText()).toMatch(/7/);
    expect(await counts.getByRole('row', { name: /Spanish/ }).innerText()).toMatch(/4/);

    // A domain that is not one: the server's message shows beside the condition.
    await condition.getByLabel('Domain').fill('e2e');
    await condition.getByText('must be a domain such as example.org').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Review and send…' }).isDisabled()).toBe(true);
    await b.screenshot('rule-error');
    await condition.getByLabel('Domain').fill('e2e.org');
    await counts.getByRole('status').filter({ hasText: '11 subscribers eligible' }).waitFor();
    await b.screenshot('audience');

    // A nested group: Spanish readers, or those whose "state" attribute is TX or AZ (nobody has one).
    await page.getByRole('group', { name: 'Rule' }).getByRole('button', { name: 'Add group' }).last().click();
    const group = page.getByRole('group', { name: 'Group 2' });
    expect(await group.getByLabel('Match').inputValue()).toBe('any');
    await group
      .getByRole('group', { name: 'Condition 2.1' })
      .getByLabel('Type')
      .selectOption({ label: 'Reads a language' });
    await group.getByRole('group', { name: 'Condition 2.1' }).getByLabel('Spanish').check();
    await group.getByRole('button', { name: 'Add condition' }).click();
    const attribute = group.getByRole('group', { name: 'Condition 2.2' });
    await attribute.getByLabel('Type').selectOption({ label: 'Attribute' });
    await attribute.getByLabel('Attribute').fill('state');
    await attribute.getByLabel('Operator').selectOption({ label: 'is one of' });
    await attribute.getByLabel('Value').fill('TX, AZ');
    await counts.getByRole('status').filter({ hasText: '4 subscribers eligible of 5 selected.' }).waitFor();
    await group.getByLabel('Not: leave these out').check();
    await counts.getByRole('status').filter({ hasText: '7 subscribers eligible of 8 selected.' }).waitFor();
    await b.screenshot('rule-builder');
    await b.expectAccessible('rule-builder');
    await page.getByRole('button', { name: 'Remove group 2' }).click();
    await counts.getByRole('status').filter({ hasText: '11 subscribers eligible of 13 selected.' }).waitFor();
    await b.expectAccessible('send');

    await page.getByLabel('Save this rule as a segment').fill('Readers at e2e.org');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as the segment “Readers at e2e.org”.' }).waitFor();
    const segments = (await (await b.app.request('GET', '/api/segments')).json()).data;
    expect(segments).toMatchObject([{ name: 'Readers at e2e.org', rule: { all: [{ emailDomain: 'e2e.org' }] } }]);
  });

  it('sends to a saved segment, confirming counts per language, watches it reach 100%, reads the report', async () => {
    const { page } = b;
    await b.open(`/admin/bulletins/${bulletinId}/send`);
    await page.getByRole('radio', { name: 'A saved segment' }).check();
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: 'Readers at e2e.org' });
    await page
      .getByRole('region', { name: 'Who gets it' })
      .getByRole('status')
      .filter({ hasText: '11 subscribers eligible of 13 selected.' })
      .waitFor();
    // The bulletin's topic is not public: the archive box says why it cannot be ticked.
    expect(await page.getByRole('checkbox', { name: 'Publish in the public archive' }).isDisabled()).toBe(true);
    await page
      .getByText('The topic “Weekly bulletin” is not public: its bulletins never go in the public archive.')
      .waitFor();
    await page.getByRole('button', { name: 'Review and send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this bulletin?' });
    await dialog.getByText('Send to 11 subscribers: 7 in English, 4 in Spanish.').waitFor();
    await dialog.getByText('Not in the public archive.').waitFor();
    await b.screenshot('confirm');
    await dialog.getByRole('button', { name: 'Send now' }).click();
    // The bulletin went out to earlier.org before: the server refuses, and the app asks again,
    // naming that send and how many of these readers it reached (none).
    const again = page.getByRole('dialog', { name: 'Send this bulletin again?' });
    await again.getByText(/^Sent .* to 4 people\. None of the people chosen now received it\.$/).waitFor();
    expect(page.url()).toMatch(/\/send$/);
    await b.screenshot('send-again');
    await b.expectAccessible('send-again');
    await again.getByRole('button', { name: 'Send it again' }).click();

    await page.waitForURL(/\/admin\/campaigns\/\d+$/);
    const progress = page.getByRole('progressbar', { name: 'Messages settled' });
    await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe('100');
    await page.getByText('100% · 11 of 11 messages settled').waitFor();
    await page.getByRole('status').filter({ hasText: 'sent' }).first().waitFor();
    const report = page.getByRole('region', { name: 'Report' });
    await report.getByRole('row', { name: /^Sent 11 100%$/ }).waitFor();
    await report.locator('canvas[role="img"]').first().waitFor();

    // What SES and readers say afterwards: ten deliveries, a complaint, a click on a tracked link.
    const mails = (await b.mails()).filter((m) => m.destination.to[0]!.endsWith('@e2e.org'));
    expect(mails).toHaveLength(11);
    const events = new SesEventStore(b.app.db.database.db, new SubscriberLifecycle(b.app.suppressions), 3);
    const campaignId = Number(new URL(page.url()).pathname.split('/').at(-1));
    const rows = await b.app.db.database.db
      .selectFrom('deliveries')
      .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
      .select(['message_id', 'email', 'deliveries.language'])
      .where('campaign_id', '=', campaignId)
      .orderBy('deliveries.id')
      .execute();
    for (const row of rows.slice(1))
      await events.apply(randomUUID(), 'Notification', {
        kind: 'delivery',
        messageId: row.message_id!,
        at: new Date().toISOString(),
      });
    await events.apply(randomUUID(), 'Notification', {
      kind: 'complaint',
      emails: [rows[0]!.email],
      messageId: rows[0]!.message_id!,
    });
    const tracked = /href="https:\/\/news\.example\.org(\/c\/[^"]+)"/.exec(mails[0]!.body.html!)![1]!;
    expect((await fetch(`${b.app.baseUrl}${tracked}`, { redirect: 'manual' })).status).toBe(302);
    await page.reload();
    await report.getByRole('row', { name: /^Delivered 10 90.9%$/ }).waitFor();
    await report.getByRole('row', { name: /^Complained 1 9.1%$/ }).waitFor();
    // By language: the complaint and the click each under the language of the mail they came from.
    const clickedIn = /<html lang="([^"]+)"/.exec(mails[0]!.body.html!)![1]!;
    const byLanguage = report.getByRole('table', { name: /by the language of the mail/ });
    for (const [name, code, sent] of [
      ['English', 'en', 7],
      ['Spanish', 'es', 4],
    ] as const) {
      const complained = rows[0]!.language === code ? 1 : 0;
      const clicked = clickedIn === code ? 1 : 0;
      const share = (n: number) => `${n} \\(${Math.round((n / sent) * 1000) / 10}%\\)`;
      await byLanguage
        .getByRole('row', {
          name: new RegExp(`^${name} ${sent} ${[sent - complained, 0, complained, 0, clicked].map(share).join(' ')}$`),
        })
        .waitFor();
    }
    const clicks = report.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Link' }) });
    expect(await clicks.getByRole('columnheader').allInnerTexts()).toEqual([
      'Block',
      'Link',
      'English',
      'Spanish',
      'Clicks',
    ]);
    // The clicked link's row: one click in its mail's language, none in the other, one in all.
    await expect
      .poll(() => clicks.getByRole('row').allInnerTexts())
      .toEqual(
        expect.arrayContaining([
          clickedIn === 'en' ? expect.stringMatching(/\t1\t0\t1$/) : expect.stringMatching(/\t0\t1\t1$/),
        ]),
      );
    const comparison = report.getByRole('table', { name: /This send and the earlier ones/ });
    await comparison.getByRole('row', { name: /^This send/ }).waitFor();
    expect(await comparison.getByRole('row').count()).toBe(3); // the heading, this send, the earlier one
    await b.screenshot('campaign');
    await b.expectAccessible('campaign');

    await page.getByRole('link', { name: '← All sends' }).click();
    const row = page.getByRole('row', { name: /Launch, petition on refugees, 100 days/ }).first();
    await expect.poll(() => row.innerText()).toMatch(/sent.*11/s);
    await b.screenshot('campaigns');
    await b.expectAccessible('campaigns');

    // Opened again, the bulletin shows its sends, marks the version sent, and offers next week's
    // bulletin first.
    await b.open(`/admin/bulletins/${bulletinId}`);
    const sends = page.getByRole('region', { name: 'Sends of this bulletin' });
    await sends.getByText(/^Sent .* to 11 people · report of send \d+$/).waitFor();
    await sends.getByText(/^Sent .* to 4 people · report of send \d+$/).waitFor();
    expect(await page.getByText('Ready to send.').count()).toBe(0);
    await page.getByText('Sent before: sending again asks first.').waitFor();
    expect((await page.getByRole('button', { name: 'Send again…' }).getAttribute('class')) ?? '').not.toMatch(
      /button-primary/,
    );
    const copy = page.getByRole('button', { name: 'Copy as next week’s bulletin' });
    expect(await copy.getAttribute('class')).toMatch(/button-primary/);
    await page.getByRole('button', { name: 'Versions' }).click();
    await page
      .getByRole('dialog', { name: 'Versions' })
      .getByRole('listitem')
      .filter({ has: page.locator('.badge-sent') })
      .first()
      .waitFor();
    await b.screenshot('composer-sent');
    await b.expectAccessible('composer-sent');
    await page.getByRole('dialog', { name: 'Versions' }).getByRole('button', { name: 'Close' }).click();
    await copy.click();
    await page.waitForURL(
      (url) => /\/admin\/bulletins\/\d+$/.test(url.pathname) && url.pathname !== `/admin/bulletins/${bulletinId}`,
    );
    await page.getByText('Ready to send.').waitFor();
    expect(await page.getByRole('region', { name: 'Sends of this bulletin' }).count()).toBe(0);
    expect(b.consoleErrors).toEqual([]);
  });

  it('schedules a send by topic, reschedules it and cancels it', async () => {
    const { page, app } = b;
    await b.open(`/admin/bulletins/${bulletinId}/send`);
    await page.getByRole('radio', { name: 'Topics' }).check();
    await page.getByRole('group', { name: 'Topics' }).getByLabel('Weekly bulletin').check();
    await page
      .getByRole('region', { name: 'Who gets it' })
      .getByRole('status')
      .filter({ hasText: '14 subscribers eligible of 17 selected.' })
      .waitFor();
    await page.getByLabel('Schedule for later').check();
    await page.getByLabel('Send at').fill('2031-05-01T09:30');
    await page.getByLabel('Off: sensitive send, no link counted').check();
    const urgent = page.getByRole('checkbox', { name: 'Urgent — goes out before other sends in progress' });
    expect(await urgent.isChecked()).toBe(false);
    await urgent.check();
    // Two sends went out before: the page says so before anything is chosen.
    const earlier = page.getByRole('note').filter({ hasText: 'This bulletin went out before.' });
    expect(await earlier.getByRole('listitem').count()).toBe(2);
    await page.getByRole('button', { name: 'Review and schedule…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule this bulletin?' });
    await dialog.getByText('Link tracking off: sensitive send, no link counted.').waitFor();
    await dialog.getByText('Urgent: goes out before other sends in progress, which continue after.').waitFor();
    await dialog.getByRole('button', { name: 'Schedule the send' }).click();
    const again = page.getByRole('dialog', { name: 'Send this bulletin again?' });
    await again.getByText(/\(and 1 earlier send\)\. 14 people of those chosen now already received it\.$/).waitFor();
    await again.getByRole('button', { name: 'Schedule it again' }).click();

    await page.waitForURL(/\/admin\/campaigns\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').at(-1));
    expect(await (await app.request('GET', `/api/campaigns/${id}`)).json()).toMatchObject({
      state: 'scheduled',
      scheduledAt: '2031-05-01T09:30:00.000Z',
      tracking: 'off',
      priority: 'urgent',
    });
    await page.getByRole('status').filter({ hasText: 'Waiting for its start time.' }).waitFor();
    await page.getByText('Urgent: goes out before other sends in progress, which continue after').waitFor();
    await page.getByText('Counted now, it would go to 14 subscribers: 9 in English, 5 in Spanish.').waitFor();
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    await b.screenshot('scheduled');

    await page.getByRole('button', { name: 'Reschedule…' }).click();
    const reschedule = page.getByRole('dialog', { name: 'Reschedule this send' });
    await reschedule.getByLabel('Send at').fill('2031-05-02T10:00');
    await reschedule.getByRole('button', { name: 'Reschedule' }).click();
    await expect
      .poll(async () => (await (await app.request('GET', `/api/campaigns/${id}`)).json()).scheduledAt)
      .toBe('2031-05-02T10:00:00.000Z');

    await page.getByRole('button', { name: 'Cancel send…' }).click();
    await page
      .getByRole('dialog', { name: 'Cancel this send?' })
      .getByRole('button', { name: 'Cancel the send' })
      .click();
    await page.getByRole('status').filter({ hasText: 'cancelled' }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Cancel send…' }).count()).toBe(0);
  });

  it('polls a send when the live stream breaks; retries failed messages, unknown ones only when asked', async () => {
    const { page, app } = b;
    const db = app.db.database.db;
    await importAudience(app, 3, 'retry', 'retry.org');
    // The stream is refused: only polling can bring the page from "scheduled" to the end of the send.
    await page.route('**/api/campaigns/*/events', (route) => route.abort());
    const created = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: {
          resend: true,
          rule: { emailDomain: 'retry.org' },
          scheduledAt: new Date(Date.now() + 3000).toISOString(),
        },
      })
    ).json();
    await b.open(`/admin/campaigns/${created.id}`);
    await page.getByText('The live connection broke; the numbers are checked every 2 seconds instead.').waitFor();
    const progress = page.getByRole('progressbar', { name: 'Messages settled' });
    await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('100');
    await page.getByRole('status').filter({ hasText: 'sent' }).first().waitFor();

    // Two messages SES refused, and one a worker lost track of (it was in fact sent).
    const [first, second, third] = await db
      .selectFrom('deliveries')
      .select('id')
      .where('campaign_id', '=', created.id)
      .orderBy('id')
      .execute();
    await db
      .updateTable('deliveries')
      .set({ status: 'failed', last_error: 'MessageRejected: Email address is not verified.' })
      .where('id', 'in', [first!.id, second!.id])
      .execute();
    await db
      .updateTable('deliveries')
      .set({ status: 'unknown', last_error: 'The worker stopped while sending; not re-sent automatically' })
      .where('id', '=', third!.id)
      .execute();
    // The ledger's own changes keep its tallies; these were written around it, so it counts again.
    await recountTallies(db, created.id);
    await page.reload();
    await page
      .getByRole('listitem')
      .filter({ hasText: 'MessageRejected: Email address is not verified.' })
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Retry failed…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry failed messages?' });
    await dialog.getByText('2 failed messages will be queued and sent again.').waitFor();
    await dialog.getByLabel('Include the 1 message whose fate is unknown').check();
    await b.screenshot('retry');
    await b.expectAccessible('retry');
    await dialog.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Retry failed…' }).count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('100');
    expect((await b.mails()).filter((m) => m.destination.to[0]!.endsWith('@retry.org'))).toHaveLength(6);
    await page.unroute('**/api/campaigns/*/events');
  });

  it('will not send a bulletin whose checks find errors, and leads back to the composer', async () => {
    const { page, app } = b;
    const image = { type: 'image', src: 'https://example.org/rally.jpg', alt: { en: '', es: '' } };
    const document = {
      version: 1,
      title: 'No subject yet',
      languages: ['en', 'es'],
      subject: { en: '', es: 'Aún sin asunto' },
      blocks: [image],
    };
    const broken = (await (await app.request('POST', '/api/bulletins', { json: document })).json()).id;
    await b.open(`/admin/bulletins/${broken}/send`);
    const alert = page.getByRole('alert').filter({ hasText: 'The subject is empty' });
    await alert.waitFor();
    // Each finding in words, as the composer's checks say it: where, in which language, and what.
    const findings = await alert.getByRole('listitem').allInnerTexts();
    expect(findings).toContain('Subject (English): The subject is empty');
    expect(findings).toContain('Block 1 (Image) · Alt text (English): the image has no alt text');
    expect(findings.join('\n')).not.toMatch(/blocks\[|\b(en|es)\b/);
    expect(await page.getByRole('button', { name: 'Review and send…' }).isDisabled()).toBe(true);
    expect(await alert.getByRole('link', { name: 'Open the composer to mend them' }).getAttribute('href')).toBe(
      `/admin/bulletins/${broken}`,
    );
  });

  it('publishes a send in the public archive only when the box is ticked, and links its page once sent', async () => {
    const { page, app } = b;
    await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: true } });
    await b.open(`/admin/bulletins/${bulletinId}/send`);
    const publish = page.getByRole('checkbox', { name: 'Publish in the public archive' });
    expect(await publish.isDisabled()).toBe(false);
    expect(await publish.isChecked()).toBe(false);
    await publish.check();
    await page.getByRole('radio', { name: 'A saved segment' }).check();
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: 'Readers at e2e.org' });
    await page
      .getByRole('region', { name: 'Who gets it' })
      .getByRole('status')
      .filter({ hasText: 'eligible' })
      .waitFor();
    await b.expectAccessible('send-archive');
    await page.getByRole('button', { name: 'Review and send…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send this bulletin?' });
    await dialog.getByText('Published in the public archive.').waitFor();
    await dialog.getByRole('button', { name: 'Send now' }).click();
    await page
      .getByRole('dialog', { name: 'Send this bulletin again?' })
      .getByRole('button', { name: 'Send it again' })
      .click();

    await page.waitForURL(/\/admin\/campaigns\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').at(-1));
    expect(await (await app.request('GET', `/api/campaigns/${id}`)).json()).toMatchObject({ archive: true });
    const published = page.getByRole('link', { name: 'Published' });
    await published.waitFor({ timeout: 60_000 });
    expect(b.consoleErrors).toEqual([]);
    await published.click();
    await page.waitForURL(new RegExp(`/archive/${id}-our-new-website-`));
    await page.getByRole('link', { name: /^← (All bulletins|Todos los boletines)$/ }).waitFor();
  });
});
