// One-click unsubscribe (RFC 8058). POST /unsubscribe/:token unsubscribes at once and answers
// 200: it is the List-Unsubscribe-Post target mail clients call. GET shows a page with a button
// and changes nothing, because mail scanners follow every link they see. Every page leads on:
// to a pause or fewer topics instead, and back in once someone has left.
import express, { type Request, type Router } from 'express';
import { escapeHtml } from '../render/html.js';
import type { Settings } from '../settings/settings.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { LinkSigner } from '../signed-links.js';
import { languageSwitch, pageLanguage, type PageLanguage } from './language.js';
import { maskEmail, page } from './page.js';
import type { LinkedSubscriber, SupporterStore } from './supporter-store.js';

const WORDS = {
  en: {
    title: 'Unsubscribe',
    ask: (organisation: string) => `Stop receiving every email from ${organisation} at`,
    askMore: 'You will no longer receive any of our bulletins, whatever their topic.',
    button: 'Unsubscribe',
    instead: 'Rather not leave altogether?',
    pauseInstead: 'Pause our emails for 30, 60 or 90 days',
    topicsInstead: 'Choose the topics you receive',
    done: 'You are unsubscribed',
    doneText: (organisation: string) => `You will not receive any more emails from ${organisation} at`,
    already: 'You are already unsubscribed',
    alreadyText: (organisation: string) => `${organisation} sends no more emails to`,
    changedMind: 'Changed your mind?',
    resubscribe: 'Subscribe again',
    fromPreferences: 'from your preferences page.',
    stopped: 'We no longer send emails to this address',
    invalid: 'This link does not work',
    invalidText:
      'The link may have been cut short when it was copied. Please use the unsubscribe link in the email again.',
  },
  es: {
    title: 'Darte de baja',
    ask: (organisation: string) => `Dejar de recibir todos los correos de ${organisation} en`,
    askMore: 'Ya no recibirás ninguno de nuestros boletines, sea cual sea su tema.',
    button: 'Darme de baja',
    instead: '¿Prefieres no irte del todo?',
    pauseInstead: 'Pausa nuestros correos durante 30, 60 o 90 días',
    topicsInstead: 'Elige los temas que recibes',
    done: 'Te has dado de baja',
    doneText: (organisation: string) => `No recibirás más correos de ${organisation} en`,
    already: 'Ya te diste de baja',
    alreadyText: (organisation: string) => `${organisation} ya no envía correos a`,
    changedMind: '¿Cambiaste de opinión?',
    resubscribe: 'Vuelve a suscribirte',
    fromPreferences: 'desde tu página de preferencias.',
    stopped: 'Ya no enviamos correos a esta dirección',
    invalid: 'Este enlace no funciona',
    invalidText:
      'Puede que el enlace se haya cortado al copiarlo. Vuelve a usar el enlace para darte de baja del correo.',
  },
} satisfies Record<PageLanguage, unknown>;

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
    if (!target) return void res.status(400).type('html').send(invalidPage(settings));
    // "Choose topics instead" only where there are topics to choose.
    const hasTopics = (await deps.supporters.publicTopics()).length > 0;
    res.type('html').send(askPage(deps, req, settings, target, hasTopics));
  });

  router.post('/unsubscribe/:token', async (req, res) => {
    const target = await find(deps, req.params.token);
    const settings = await deps.settings.get();
    if (!target) return void res.status(400).type('html').send(invalidPage(settings));
    await deps.supporters.unsubscribe(target.subscriber, target.campaignId);
    const lang = pageLanguage(req, target.subscriber.language);
    const w = WORDS[lang];
    res.type('html').send(
      page(
        settings,
        lang,
        w.done,
        `<h1>${escapeHtml(w.done)}</h1>
<p>${escapeHtml(w.doneText(settings.organisationName))} <strong>${escapeHtml(maskEmail(target.subscriber.email))}</strong>.</p>
${comeBack(deps, target, lang)}`,
      ),
    );
  });
  return router;
}

interface Target {
  subscriber: LinkedSubscriber;
  /** The campaign whose mail held the link; 0 (previews, tests) is none. */
  campaignId: number | null;
}

/** The subscriber a token names, or undefined for a tampered, cut or unknown one. */
async function find(deps: UnsubscribeDeps, token: string): Promise<Target | undefined> {
  const payload = deps.signer.verify('unsubscribe', token);
  const match = payload && /^(\d+):(\d+)$/.exec(payload);
  if (!match) return undefined;
  const subscriber = await deps.supporters.subscriber(Number(match[1]));
  if (!subscriber) return undefined;
  return { subscriber, campaignId: Number(match[2]) || null };
}

/**
 * What a GET shows, changing nothing: the button, with a pause or fewer topics offered instead;
 * to someone who already left, that they did and the way back; to a bounced or complained
 * address, that no more mail goes to it.
 */
function askPage(deps: UnsubscribeDeps, req: Request, settings: Settings, target: Target, hasTopics: boolean): string {
  const { subscriber } = target;
  const lang = pageLanguage(req, subscriber.language);
  const w = WORDS[lang];
  const organisation = settings.organisationName;
  const email = `<strong>${escapeHtml(maskEmail(subscriber.email))}</strong>`;
  const answer = (title: string, body: string) =>
    page(settings, lang, title, `${languageSwitch(req, lang)}\n<h1>${escapeHtml(title)}</h1>\n${body}`);
  if (subscriber.status === 'unsubscribed') {
    return answer(
      w.already,
      `<p>${escapeHtml(w.alreadyText(organisation))} ${email}.</p>\n${comeBack(deps, target, lang)}`,
    );
  }
  if (subscriber.status === 'bounced' || subscriber.status === 'complained') {
    return answer(w.stopped, `<p>${escapeHtml(w.alreadyText(organisation))} ${email}.</p>`);
  }
  const preferences = preferencesPath(deps, target, lang);
  return answer(
    w.title,
    `<p>${escapeHtml(w.ask(organisation))} ${email}. ${escapeHtml(w.askMore)}</p>
<form method="post"><button type="submit">${escapeHtml(w.button)}</button></form>
<h2>${escapeHtml(w.instead)}</h2>
<ul class="other-ways">
<li><a href="${escapeHtml(`${preferences}#pause`)}">${escapeHtml(w.pauseInstead)}</a></li>
${hasTopics ? `<li><a href="${escapeHtml(`${preferences}#topics`)}">${escapeHtml(w.topicsInstead)}</a></li>\n` : ''}</ul>`,
  );
}

/** "Changed your mind? Subscribe again from your preferences page." Saving there subscribes again. */
function comeBack(deps: UnsubscribeDeps, target: Target, lang: PageLanguage): string {
  const w = WORDS[lang];
  return `<p>${escapeHtml(w.changedMind)} <a href="${escapeHtml(preferencesPath(deps, target, lang))}">${escapeHtml(w.resubscribe)}</a> ${escapeHtml(w.fromPreferences)}</p>`;
}

/** The reader's own preferences page: the unsubscribe link proves who they are, as their mail's preferences link would. */
function preferencesPath(deps: UnsubscribeDeps, target: Target, lang: PageLanguage): string {
  return `/preferences/${deps.signer.sign('preferences', String(target.subscriber.id))}?lang=${lang}`;
}

function invalidPage(settings: Settings): string {
  const { en, es } = WORDS;
  return page(
    settings,
    'en',
    en.invalid,
    `<h1>${escapeHtml(en.invalid)}</h1>\n<p>${escapeHtml(en.invalidText)}</p>\n<p lang="es"><strong>${escapeHtml(es.invalid)}.</strong> ${escapeHtml(es.invalidText)}</p>`,
  );
}
