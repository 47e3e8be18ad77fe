// One-click unsubscribe (RFC 8058). POST /unsubscribe/:token unsubscribes at once and answers
// 200: it is the List-Unsubscribe-Post target mail clients call. GET shows a page with a button
// and changes nothing, because mail scanners follow every link they see.
import express, { type Router } from 'express';
import { escapeHtml } from '../render/html.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { LinkSigner } from '../signed-links.js';
import { maskEmail, page } from './page.js';
import type { LinkedSubscriber, SupporterStore } from './supporter-store.js';

const WORDS = {
  en: {
    title: 'Unsubscribe',
    ask: 'Stop receiving these emails at',
    button: 'Unsubscribe',
    done: 'You are unsubscribed',
    doneText: 'You will not receive any more bulletins from us. If this was a mistake, you can subscribe again at any time.',
    invalid: 'This link does not work',
    invalidText: 'The link may have been cut short when it was copied. Please use the unsubscribe link in the email again.',
  },
  es: {
    title: 'Darte de baja',
    ask: 'Dejar de recibir estos correos en',
    button: 'Darme de baja',
    done: 'Te has dado de baja',
    doneText: 'No recibirás más boletines nuestros. Si fue un error, puedes volver a suscribirte cuando quieras.',
    invalid: 'Este enlace no funciona',
    invalidText: 'Puede que el enlace se haya cortado al copiarlo. Vuelve a usar el enlace para darte de baja del correo.',
  },
};
type Words = (typeof WORDS)['en'];

export interface UnsubscribeDeps {
  supporters: SupporterStore;
  signer: LinkSigner;
  settings: SettingsStore;
}

export function unsubscribeRouter(deps: UnsubscribeDeps): Router {
  const router = express.Router();
  // Mail clients post `List-Unsubscribe=One-Click` as a form, or nothing at all.
  router.use('/unsubscribe/:token', express.urlencoded({ extended: false, limit: '1kb' }));

  router.get('/unsubscribe/:token', async (req, res) => {
    const target = await find(deps, req.params.token);
    const settings = await deps.settings.get();
    if (!target) return void res.status(400).type('html').send(invalidPage(settings, WORDS.en));
    const w = words(target.language);
    res.type('html').send(
      page(
        settings,
        target.language,
        w.title,
        `<h1>${escapeHtml(w.title)}</h1>
<p>${escapeHtml(w.ask)} <strong>${escapeHtml(maskEmail(target.email))}</strong>.</p>
<form method="post"><button type="submit">${escapeHtml(w.button)}</button></form>`,
      ),
    );
  });

  router.post('/unsubscribe/:token', async (req, res) => {
    const target = await find(deps, req.params.token);
    const settings = await deps.settings.get();
    if (!target) return void res.status(400).type('html').send(invalidPage(settings, WORDS.en));
    await deps.supporters.unsubscribe(target.subscriber, target.campaignId);
    const w = words(target.language);
    res.type('html').send(page(settings, target.language, w.done, `<h1>${escapeHtml(w.done)}</h1>\n<p>${escapeHtml(w.doneText)}</p>`));
  });
  return router;
}

interface Target {
  subscriber: LinkedSubscriber;
  /** The campaign whose mail held the link; 0 (previews, tests) is none. */
  campaignId: number | null;
  email: string;
  language: string;
}

/** The subscriber a token names, or undefined for a tampered, cut or unknown one. */
async function find(deps: UnsubscribeDeps, token: string): Promise<Target | undefined> {
  const payload = deps.signer.verify('unsubscribe', token);
  const match = payload && /^(\d+):(\d+)$/.exec(payload);
  if (!match) return undefined;
  const subscriber = await deps.supporters.subscriber(Number(match[1]));
  if (!subscriber) return undefined;
  return { subscriber, campaignId: Number(match[2]) || null, email: subscriber.email, language: subscriber.language };
}

function words(language: string): Words {
  return language.startsWith('es') ? WORDS.es : WORDS.en;
}

function invalidPage(settings: Parameters<typeof page>[0], w: Words): string {
  const es = WORDS.es;
  return page(settings, 'en', w.invalid, `<h1>${escapeHtml(w.invalid)}</h1>\n<p>${escapeHtml(w.invalidText)}</p>\n<p lang="es"><strong>${escapeHtml(es.invalid)}.</strong> ${escapeHtml(es.invalidText)}</p>`);
}
