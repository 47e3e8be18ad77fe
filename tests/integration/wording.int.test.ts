// The organisation's own words ("Wording" in Settings) through the real server: checked before
// they are kept, and then read wherever readers see them: the mail's footer (HTML and plain
// text, sent through the SES emulator), the subscribe form, the confirmation mail and the
// unsubscribe page. A reader whose language has no words reads the organisation's default's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

const WORDING = {
  es: {
    footer: { unsubscribe: 'Salir de esta lista' },
    confirmation: { subject: 'Un paso más: confirme su correo' },
    subscribe: { title: 'Únase a la red' },
    unsubscribe: { button: 'Sí, quiero salir' },
  },
};

describe.each(databaseKinds())('the wording setting on %s', (kind) => {
  let ses: SesEmulator;
  let app: TestApp;
  const settings = async () => (await app.request('GET', '/api/settings')).json();
  const mailsTo = async (to: string): Promise<StoredEmail[]> =>
    ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] }).emails.filter(
      (m) => m.destination.to[0] === to,
    );
  const waitForMail = async (to: string, match: (mail: StoredEmail) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const found = (await mailsTo(to)).find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail to ${to}`);
  };
  const local = (url: string) => `${app.baseUrl}${new URL(url).pathname}${new URL(url).search}`;
  const form = (url: string, body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
    // Public, so the form's subscriber (who ticks no topic, so gets every public one) gets its bulletin.
    await app.request('POST', '/api/topics', {
      json: { key: 'weekly-bulletin', name: { en: 'Weekly bulletin', es: 'Boletín semanal' }, public: true },
    });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it('refuses an unknown entry or {slot} with a 400 naming the field, and changes nothing', async () => {
    const before = await settings();
    for (const [wording, path, message] of [
      [{ es: { footer: { unsubscrib: 'Salir' } } }, 'wording.es.footer.unsubscrib', 'is not a known field'],
      [{ es: { footer: { unsubscribe: 'Salir, {name}' } } }, 'wording.es.footer.unsubscribe', 'has no slot {name}'],
      [{ es: { pages: {} } }, 'wording.es.pages', 'is not a known field'],
    ] as const) {
      // A good field beside the bad one is not kept either.
      const res = await app.request('PUT', '/api/settings', { json: { organisationName: 'Otra', wording } });
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.issues).toEqual([{ path, message }]);
    }
    expect(await settings()).toEqual(before);
  });

  it('puts a Spanish override in the Spanish mail, HTML and text, the form and the confirmation mail', async () => {
    const bulletinId = await sendableBulletin(app);
    const put = await app.request('PUT', '/api/settings', { json: { wording: WORDING } });
    expect(put.status).toBe(200);
    expect((await put.json()).wording).toEqual(WORDING);

    // The subscribe form in Spanish has the organisation's title; the English one keeps the default.
    const spanishForm = await (await fetch(`${app.baseUrl}/subscribe?lang=es`)).text();
    expect(spanishForm).toContain('<h1>Únase a la red</h1>');
    expect(spanishForm).toContain('Reciba por correo las noticias'); // the rest is the shipped Spanish
    expect(await (await fetch(`${app.baseUrl}/subscribe?lang=en`)).text()).toContain('<h1>Subscribe</h1>');

    // The confirmation mail, subject and heading.
    const email = `wording-${kind}@example.org`;
    const subscribed = await form(`${app.baseUrl}/subscribe?lang=es`, `email=${encodeURIComponent(email)}&language=es`);
    expect(subscribed.status).toBe(200);
    const confirmation = await waitForMail(email, () => true);
    expect(confirmation.subject).toBe('Un paso más: confirme su correo');
    expect(confirmation.body.html).toContain('Un paso más: confirme su correo</h1>');
    expect(confirmation.body.text).toContain('UN PASO MÁS: CONFIRME SU CORREO');
    const confirmUrl = /href="([^"]+\/confirm\/[^"]+)"/.exec(confirmation.body.html!)![1]!;
    expect((await form(local(confirmUrl), '')).status).toBe(200);

    // The bulletin's footer, in both parts of the mail.
    const campaign = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { all: [] } } })
    ).json();
    await waitForCampaign(app, campaign.id, ['sent']);
    const mail = await waitForMail(email, (m) => m.subject.startsWith('Nueva web'));
    const unsubscribeUrl = /href="([^"]+\/unsubscribe\/[^"]+)"[^>]*>Salir de esta lista<\/a>/.exec(
      mail.body.html!,
    )?.[1];
    expect(unsubscribeUrl).toBeDefined();
    expect(mail.body.text).toContain(`Salir de esta lista: ${unsubscribeUrl}`);
    expect(mail.body.html).not.toContain('Cancelar la suscripción</a>');
    expect(mail.body.html).toContain('Gestione sus preferencias'); // an entry not overridden

    // The unsubscribe page behind the mail's link.
    const page = await (await fetch(local(unsubscribeUrl!))).text();
    expect(page).toContain('<button type="submit">Sí, quiero salir</button>');
  });

  it("gives a reader whose language has no words the organisation's default language's words", async () => {
    await app.request('PUT', '/api/settings', { json: { defaultLanguage: 'es' } });
    const reader = await (
      await app.request('POST', '/api/subscribers', {
        json: { email: `pt-${kind}@example.org`, status: 'active', language: 'pt-BR' },
      })
    ).json();
    const link = `${app.baseUrl}/unsubscribe/${app.stores.signer.sign('unsubscribe', `${reader.id}:0`)}`;
    const page = await (await fetch(link, { headers: { 'accept-language': 'pt-BR' } })).text();
    expect(page).toContain('<html lang="es">');
    expect(page).toContain('<button type="submit">Sí, quiero salir</button>');
    await app.request('PUT', '/api/settings', { json: { defaultLanguage: 'en' } });
    const english = await (await fetch(link, { headers: { 'accept-language': 'pt-BR' } })).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('<button type="submit">Unsubscribe</button>');
  });
});
