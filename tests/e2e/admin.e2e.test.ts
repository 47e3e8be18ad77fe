// Subscribers, topics, settings, staff accounts and API tokens, driven through the staff web app
// in real Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

describe('the audience and admin screens', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp('admin');
    await b.signIn('admin@example.org');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('creates a topic with its English and Spanish names side by side', async () => {
    const { page } = b;
    await b.open('/admin/topics');
    await page.getByText('No topics yet.').waitFor();
    await page.getByRole('button', { name: 'New topic' }).click();
    const dialog = page.getByRole('dialog', { name: 'New topic' });
    await dialog.getByLabel('Name in English').fill('Housing & rent');
    await dialog.getByLabel('Name in Spanish').fill('Vivienda y alquiler');
    await dialog.getByLabel('Description in Spanish').fill('Noticias sobre alquileres');
    // The key follows the English name until someone types one.
    expect(await dialog.getByLabel('Key').inputValue()).toBe('housing-rent');
    await dialog.getByLabel(/^Public/).check();
    await b.screenshot('topic-dialog');
    await dialog.getByRole('button', { name: 'Create topic' }).click();

    await page.getByRole('status').filter({ hasText: 'Topic “Housing & rent” created.' }).waitFor();
    const row = page.getByRole('row', { name: /housing-rent/ });
    await expect
      .poll(() => row.getByRole('cell').allInnerTexts())
      .toEqual(
        expect.arrayContaining([
          'housing-rent',
          'Housing & rent',
          'Vivienda y alquiler\nNoticias sobre alquileres',
          'Public',
        ]),
      );
    const topic = await (await b.app.request('GET', '/api/topics/housing-rent')).json();
    expect(topic).toMatchObject({
      name: { en: 'Housing & rent', es: 'Vivienda y alquiler' },
      description: { es: 'Noticias sobre alquileres' },
      public: true,
    });
    await b.screenshot('topics');
    await b.expectAccessible('topics');
  });

  it('edits a topic, keeping what the form does not show, and deletes one', async () => {
    const { page, app } = b;
    await app.request('POST', '/api/topics', {
      json: { key: 'events', name: { en: 'Events', fr: 'Événements' }, description: { en: 'Marches and meetings' } },
    });
    await b.open('/admin/topics');
    await page.getByRole('button', { name: 'Edit Events' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit topic “Events”' });
    await dialog.getByLabel('Name in Spanish').fill('Eventos');
    await dialog.getByLabel('Description in English').fill('');
    await dialog.getByRole('button', { name: 'Save topic' }).click();
    await page.getByRole('status').filter({ hasText: 'Topic “Events” saved.' }).waitFor();
    expect(await (await app.request('GET', '/api/topics/events')).json()).toMatchObject({
      name: { en: 'Events', es: 'Eventos', fr: 'Événements' },
      description: {},
      public: false,
    });

    await page.getByRole('button', { name: 'Delete Events' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete topic “Events”?' });
    await confirm.getByText('0 subscribers follow this topic.').waitFor();
    await confirm.getByRole('button', { name: 'Delete topic' }).click();
    await page.getByRole('status').filter({ hasText: 'Topic “Events” deleted.' }).waitFor();
    // The list reloads after the status.
    await expect.poll(() => page.getByRole('row', { name: /events/ }).count()).toBe(0);
  });

  it('finds a subscriber, shows their consent history, saves a change and erases them', async () => {
    const { page, app } = b;
    for (const [email, name, language] of [
      ['ana.souza@example.org', 'Ana Souza', 'es'],
      ['bruno@example.org', 'Bruno', 'en'],
      ['carla@example.org', '', 'en'],
    ]) {
      const res = await app.request('POST', '/api/subscribers', {
        json: { email, name, language, status: 'active', topics: ['housing-rent'], tags: ['volunteer'] },
      });
      expect(res.status).toBe(201);
    }

    await b.open('/admin/subscribers');
    await page.getByText('3 subscribers', { exact: true }).waitFor();
    await b.screenshot('subscribers');
    await b.expectAccessible('subscribers');

    await page.getByRole('search', { name: 'Filter subscribers' }).getByLabel('Email contains').fill('souza');
    await page.getByText('1 subscriber match these filters').waitFor();
    expect(page.url()).toContain('email=souza');
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    // The export takes the same filters, through the session cookie.
    const exportHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(exportHref).toBe('/api/subscribers/export?email=souza');
    const csv = await page.request.get(exportHref!);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).trim().split('\n')).toHaveLength(2);

    await page.getByRole('link', { name: 'ana.souza@example.org' }).click();
    await page.getByRole('heading', { level: 1, name: 'ana.souza@example.org' }).waitFor();
    const history = page.getByRole('table', { name: /Consent history/ });
    await history.getByRole('cell', { name: 'Subscribed' }).waitFor();
    await expect
      .poll(() => history.getByRole('row').nth(1).getByRole('cell').allInnerTexts())
      .toEqual(expect.arrayContaining(['Subscribed', 'api', 'Spanish']));

    await page.getByLabel('Name', { exact: true }).fill('Ana Maria Souza');
    await page.getByLabel('Status').selectOption('unsubscribed');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor();
    // The change of status entered the history, newest first.
    await expect.poll(() => history.getByRole('row').nth(1).getByRole('cell').first().innerText()).toBe('Unsubscribed');
    await b.screenshot('subscriber');
    await b.expectAccessible('subscriber');

    // A server refusal names the field and keeps what was typed.
    const longName = 'A'.repeat(201);
    await page.getByLabel('Name', { exact: true }).fill(longName);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('must be at most 200 characters').first().waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(longName);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await page.getByText('must be at most 200 characters').count()).toBe(0);

    await page.getByRole('button', { name: 'Erase subscriber' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase this subscriber?' });
    await dialog.getByText(/keyed hash of the address stays on the suppression list/).waitFor();
    await b.screenshot('subscriber-erase');
    await dialog.getByRole('button', { name: 'Erase permanently' }).click();
    await page.getByRole('status').filter({ hasText: 'The subscriber was erased.' }).waitFor();
    await page.getByText('2 subscribers', { exact: true }).waitFor();
  });

  it('adds a subscriber from the dialog', async () => {
    const { page } = b;
    await b.open('/admin/subscribers');
    await page.getByRole('button', { name: 'Add subscriber' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a subscriber' });
    await dialog.getByLabel('Email').fill('dora@example.org');
    await dialog.getByLabel('Housing & rent').check();
    await b.expectAccessible('add-subscriber');
    await dialog.getByRole('button', { name: 'Save subscriber' }).click();
    await page.getByRole('heading', { level: 1, name: 'dora@example.org' }).waitFor();
    await page
      .getByRole('table', { name: /Consent history/ })
      .getByRole('cell', { name: 'Subscription requested' })
      .waitFor();
    // Added pending, mailed the confirmation (the dialog's default), so they can confirm
    for (let i = 0; i < 100; i++) {
      if ((await b.mails()).some((mail) => mail.destination.to[0] === 'dora@example.org')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await b.mails()).filter((mail) => mail.destination.to[0] === 'dora@example.org')).toHaveLength(1);
  });

  it('imports a CSV file and lists the row it could not import', async () => {
    const { page } = b;
    await b.open('/admin/subscribers/import');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'email,name,language,topics,city\nelena@example.org,Elena,es,housing-rent,Lisbon\nnot-an-address,Nobody,en,,\n',
      ),
    });
    await page.getByLabel('Yes: import them as active').check();
    await page.getByRole('button', { name: 'Import' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Import finished: 1 created, 0 merged, 1 not imported.' })
      .waitFor();
    const errorRow = page.getByRole('row', { name: /not-an-address/ });
    expect(await errorRow.getByRole('cell').allInnerTexts()).toEqual([
      '3',
      'not-an-address',
      'email: must be an email address',
    ]);
    await b.screenshot('import');
    await b.expectAccessible('import');

    const imported = await (await b.app.request('GET', '/api/subscribers?email=elena')).json();
    expect(imported.data[0]).toMatchObject({
      status: 'active',
      language: 'es',
      topics: ['housing-rent'],
      attributes: { city: 'Lisbon' },
    });
  });

  it('imports pending people and queues their confirmation mails', async () => {
    const { page } = b;
    await b.open('/admin/subscribers/import');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'pending.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,name\nfelipe@example.org,Felipe\nelena@example.org,Elena\n'),
    });
    await page.getByLabel('Not yet: import them as pending').check();
    await page.getByLabel('Mail each new subscriber the confirmation', { exact: false }).check();
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('1 confirmation mail queued, one to each new subscriber.').waitFor();
    await b.expectAccessible('import with confirmations');
  });

  it('changes the organisation name and shows a field error from the server', async () => {
    const { page } = b;
    await b.open('/admin/settings');
    await page.getByLabel('Organisation name').fill('Voces Unidas');
    await page.getByLabel('Logo URL').fill('http://insecure.example.org/logo.png');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('must be an https URL').first().waitFor();
    expect(await page.getByLabel('Organisation name').inputValue()).toBe('Voces Unidas');

    await page.getByLabel('Logo URL').fill('');
    // A light brand colour: the warning names what bulletins draw instead, and goes with a readable one.
    await page.getByLabel('Brand colour', { exact: true }).fill('#f2b705');
    const warning = page.getByText('This colour is hard to read');
    expect(await warning.innerText()).toContain(
      'white on #f2b705 is 1.82:1, so buttons use #1d1b19 on #f2b705 (9.44:1); ' +
        '#f2b705 on white is 1.82:1, so links use #916e03 (4.73:1)',
    );
    await b.screenshot('settings-light-brand');
    await page.getByLabel('Brand colour', { exact: true }).fill('#1d6b3a');
    await warning.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    expect(await (await b.app.request('GET', '/api/settings')).json()).toMatchObject({
      organisationName: 'Voces Unidas',
      brandColor: '#1d6b3a',
    });
    await b.screenshot('settings');
    await b.expectAccessible('settings');
  });

  it('creates an API token, shows it once, and revokes it', async () => {
    const { page, app } = b;
    await b.open('/admin/tokens');
    await page.getByLabel('Token name').fill('CRM sync');
    await page.getByLabel('Token role').selectOption('editor');
    await page.getByLabel('Expires on').fill('2030-01-31');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByLabel('New API token').inputValue();
    expect(token).toMatch(/^pgn_/);
    await page.getByText('This is the only time it is shown').waitFor();
    await b.screenshot('token-created');
    await b.expectAccessible('tokens');
    expect((await app.request('GET', '/api/topics', { token })).status).toBe(200);
    // who made it, and when it stops working (the start of that day in the browser's time zone, UTC here)
    const row = page.getByRole('row').filter({ hasText: 'CRM sync' });
    await row.getByRole('cell', { name: 'admin@example.org' }).waitFor();
    await row.getByRole('cell', { name: /Jan\s31,\s2030/ }).waitFor();
    const listed = (await (await app.request('GET', '/api/tokens')).json()).data;
    expect(listed.find((t: { name: string }) => t.name === 'CRM sync').expiresAt).toBe('2030-01-31T00:00:00.000Z');

    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.getByLabel('New API token').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke the token “CRM sync”?' })
      .getByRole('button', { name: 'Revoke token' })
      .click();
    await page.getByRole('status').filter({ hasText: 'The token “CRM sync” was revoked.' }).waitFor();
    expect((await app.request('GET', '/api/topics', { token })).status).toBe(401);
  });

  it('adds an editor and a writer, changes a role, and shows why the last admin cannot become an editor', async () => {
    const { page } = b;
    await b.open('/admin/staff');
    await page.getByRole('button', { name: 'Add staff member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a staff member' });
    await dialog.getByLabel('Email').fill('editor@example.org');
    await dialog.getByLabel('Password').fill('a long enough password');
    await dialog.getByLabel(/^Editor:/).check();
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('status').filter({ hasText: 'editor@example.org can now sign in as an editor.' }).waitFor();
    expect(await page.getByLabel('Role of editor@example.org').inputValue()).toBe('editor');

    // A writer, added the same way; a role changes from the table.
    await page.getByRole('button', { name: 'Add staff member' }).click();
    await dialog.getByLabel('Email').fill('writer@example.org');
    await dialog.getByLabel('Password').fill('a long enough password');
    await dialog.getByLabel(/^Writer:/).check();
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('status').filter({ hasText: 'writer@example.org can now sign in as a writer.' }).waitFor();
    await page.getByLabel('Role of editor@example.org').selectOption('writer');
    await page.getByRole('status').filter({ hasText: 'editor@example.org is now a writer.' }).waitFor();
    await page.getByLabel('Role of editor@example.org').selectOption('editor');
    await page.getByRole('status').filter({ hasText: 'editor@example.org is now an editor.' }).waitFor();

    await page.getByLabel('Role of admin@example.org').selectOption('editor');
    await page
      .getByRole('dialog', { name: 'Make yourself an editor?' })
      .getByRole('button', { name: 'Make me an editor' })
      .click();
    await page.getByRole('alert').filter({ hasText: 'admin@example.org is the last admin' }).waitFor();
    expect(await page.getByLabel('Role of admin@example.org').inputValue()).toBe('admin');
    await b.screenshot('staff');
    await b.expectAccessible('staff');
  });

  it('opens the queue dashboard from the navigation', async () => {
    const { page } = b;
    await b.open('/admin/bulletins');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).click();
    await page.waitForURL(/\/admin\/queues/);
    await page.getByText('deliveries').first().waitFor();
    await page.getByText('campaigns').first().waitFor();
    await page.getByText('confirmations').first().waitFor();
    await b.screenshot('queues');
    // bull-board links a Google Fonts stylesheet; its CSP refuses it on purpose (no third party sees staff pages).
    expect(b.consoleErrors.every((error) => error.includes('fonts.googleapis.com'))).toBe(true);
    b.consoleErrors.length = 0;
    await b.open('/admin/bulletins');
  });

  it('shows an editor the audience screens without the admin actions', async () => {
    const { page } = b;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill('editor@example.org');
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    // told of the wrong password once, until dismissed
    const told = page.getByRole('status').filter({ hasText: 'A wrong password was given for your account' });
    await told.waitFor();
    await b.expectAccessible('failed-sign-ins');
    await told.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => told.count()).toBe(0);

    await b.open('/admin/topics');
    await page.getByText('Only admins can change topics.').waitFor();
    expect(await page.getByRole('button', { name: 'New topic' }).count()).toBe(0);
    await b.open('/admin/subscribers');
    await page.getByRole('button', { name: 'Add subscriber' }).waitFor();
    expect(await page.getByRole('link', { name: 'Export CSV' }).count()).toBe(0);
    await b.open('/admin/tokens');
    await page.getByRole('heading', { level: 1, name: 'Admins only' }).waitFor();
    expect(b.consoleErrors).toEqual([]);
  });
});
