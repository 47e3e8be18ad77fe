// GET/POST /preferences/:token: a subscriber chooses topics, language, a pause of 30, 60 or 90
// days, or to leave everything, from the signed link in each mail. No account, no password.
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { formBody } from '../http/storable-input.js';
import { escapeHtml } from '../render/html.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { LinkSigner } from '../signed-links.js';
import {
  PageLanguageChoice,
  languageOptions,
  languageSwitch,
  pageLanguage,
  topicCheckboxes,
  type PageLanguage,
} from './language.js';
import { choice, maskEmail, page } from './page.js';
import type { LinkedSubscriber, SupporterStore } from './supporter-store.js';

const WORDS = {
  en: {
    title: 'Your preferences',
    intro: (organisation: string) => `Choose what you receive from ${organisation} at`,
    topics: 'Topics',
    language: 'Language of your emails',
    pause: 'Take a break',
    noPause: 'Keep sending',
    pauseFor: (days: number) => `Pause for ${days} days`,
    pausedUntil: (date: string) => `Paused until ${date}`,
    resume: 'Resume now',
    leave: 'Unsubscribe from everything',
    save: 'Save my choices',
    saveAndReturn: 'Save and subscribe again',
    saved: 'Your choices are saved.',
    unsubscribed: 'You are unsubscribed. Saving your choices subscribes you again.',
    left: 'You are unsubscribed. You will not receive any more emails from us. To subscribe again, choose what you receive below and save.',
    stopped: 'We no longer send mail to this address.',
    invalid: 'This link does not work',
    invalidText: 'The link may have been cut short when it was copied. Please use the link in one of our emails again.',
  },
  es: {
    title: 'Tus preferencias',
    intro: (organisation: string) => `Elige lo que recibes de ${organisation} en`,
    topics: 'Temas',
    language: 'Idioma de tus correos',
    pause: 'Tómate un descanso',
    noPause: 'Seguir recibiendo',
    pauseFor: (days: number) => `Pausar ${days} días`,
    pausedUntil: (date: string) => `En pausa hasta el ${date}`,
    resume: 'Reanudar ahora',
    leave: 'Darme de baja de todo',
    save: 'Guardar mis opciones',
    saveAndReturn: 'Guardar y volver a suscribirme',
    saved: 'Tus opciones están guardadas.',
    unsubscribed: 'Te has dado de baja. Si guardas tus opciones, vuelves a suscribirte.',
    left: 'Te has dado de baja. No recibirás más correos nuestros. Para volver a suscribirte, elige abajo lo que quieres recibir y guarda.',
    stopped: 'Ya no enviamos correo a esta dirección.',
    invalid: 'Este enlace no funciona',
    invalidText: 'Puede que el enlace se haya cortado al copiarlo. Vuelve a usar el enlace de uno de nuestros correos.',
  },
} satisfies Record<PageLanguage, unknown>;

const PAUSE_DAYS = [30, 60, 90] as const;

const Choice = z.object({
  topics: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((t) => (t === undefined ? [] : Array.isArray(t) ? t : [t])),
  language: PageLanguageChoice,
  pause: z.enum(['keep', 'resume', '30', '60', '90']).default('keep'),
  leave: z.literal('yes').optional(),
});

export interface PreferencesDeps {
  supporters: SupporterStore;
  signer: LinkSigner;
  settings: SettingsStore;
}

export function preferencesRouter(deps: PreferencesDeps): Router {
  const router = express.Router();
  router.use('/preferences/:token', formBody({ limit: '8kb' }));

  router.get('/preferences/:token', async (req, res) => {
    const subscriber = await find(deps, req.params.token);
    if (!subscriber)
      return void res
        .status(400)
        .type('html')
        .send(await invalidPage(deps, req));
    res.type('html').send(await preferencesPage(deps, req, subscriber));
  });

  router.post('/preferences/:token', async (req, res) => {
    const subscriber = await find(deps, req.params.token);
    if (!subscriber)
      return void res
        .status(400)
        .type('html')
        .send(await invalidPage(deps, req));
    const parsed = Choice.safeParse(req.body);
    if (!parsed.success)
      return void res
        .status(400)
        .type('html')
        .send(await preferencesPage(deps, req, subscriber));
    const choice = parsed.data;
    const lang = pageLanguage(req, subscriber.language);
    if (choice.leave) {
      await deps.supporters.unsubscribe(subscriber, null);
    } else if (
      subscriber.status === 'active' ||
      subscriber.status === 'unsubscribed' ||
      subscriber.status === 'pending'
    ) {
      const pausedUntil =
        choice.pause === 'keep'
          ? undefined
          : choice.pause === 'resume'
            ? null
            : new Date(Date.now() + Number(choice.pause) * 86_400_000).toISOString();
      await deps.supporters.savePreferences(
        subscriber,
        { topics: choice.topics, language: choice.language, pausedUntil },
        lang,
      );
    }
    const after = (await deps.supporters.subscriber(subscriber.id))!;
    res.type('html').send(await preferencesPage(deps, req, after, choice.leave ? 'left' : 'saved'));
  });
  return router;
}

async function find(deps: PreferencesDeps, token: string): Promise<LinkedSubscriber | undefined> {
  const id = deps.signer.verify('preferences', token);
  return id && /^\d+$/.test(id) ? deps.supporters.subscriber(Number(id)) : undefined;
}

async function preferencesPage(
  deps: PreferencesDeps,
  req: Request,
  subscriber: LinkedSubscriber,
  notice?: 'saved' | 'left',
): Promise<string> {
  const settings = await deps.settings.get();
  const lang = pageLanguage(req, subscriber.language);
  const w = WORDS[lang];
  const [topics, following] = await Promise.all([
    deps.supporters.publicTopics(),
    deps.supporters.topicsOf(subscriber.id),
  ]);
  const date = (iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(new Date(iso));
  const paused =
    subscriber.paused_until && subscriber.paused_until > new Date().toISOString() ? subscriber.paused_until : null;
  const stopped = subscriber.status === 'bounced' || subscriber.status === 'complained';

  const status =
    notice === 'left'
      ? w.left
      : stopped
        ? w.stopped
        : subscriber.status === 'unsubscribed'
          ? w.unsubscribed
          : notice === 'saved'
            ? w.saved
            : '';
  const topicBoxes = topicCheckboxes(topics, lang, following);
  const languages = languageOptions(subscriber.language);
  const pause = (value: string, label: string, checked = false) =>
    choice({ type: 'radio', name: 'pause', value, checked }, escapeHtml(label));
  const pauses = [
    pause('keep', paused ? w.pausedUntil(date(paused)) : w.noPause, true),
    ...(paused ? [pause('resume', w.resume)] : []),
    ...PAUSE_DAYS.map((d) => pause(String(d), w.pauseFor(d))),
  ].join('\n');

  // The ids are where the unsubscribe page's "pause instead" and "choose topics" links land.
  const form = stopped
    ? ''
    : `<form method="post">
${topics.length ? `<fieldset id="topics"><legend>${escapeHtml(w.topics)}</legend>\n${topicBoxes}\n</fieldset>\n` : ''}<p class="field"><label for="language">${escapeHtml(w.language)}</label><br><select id="language" name="language">${languages}</select></p>
<fieldset id="pause"><legend>${escapeHtml(w.pause)}</legend>
${pauses}
</fieldset>
${subscriber.status === 'unsubscribed' ? '' : `${choice({ type: 'checkbox', name: 'leave', value: 'yes' }, escapeHtml(w.leave))}\n`}<p><button type="submit">${escapeHtml(subscriber.status === 'unsubscribed' ? w.saveAndReturn : w.save)}</button></p>
</form>`;
  return page(
    settings,
    lang,
    w.title,
    `${languageSwitch(req, lang)}
<h1>${escapeHtml(w.title)}</h1>
${status ? `<p role="status"><strong>${escapeHtml(status)}</strong></p>` : ''}
<p>${escapeHtml(w.intro(settings.organisationName))} <strong>${escapeHtml(maskEmail(subscriber.email))}</strong>.</p>
${form}`,
  );
}

async function invalidPage(deps: PreferencesDeps, req: Request): Promise<string> {
  const lang = pageLanguage(req);
  const w = WORDS[lang];
  return page(
    await deps.settings.get(),
    lang,
    w.invalid,
    `<h1>${escapeHtml(w.invalid)}</h1>\n<p>${escapeHtml(w.invalidText)}</p>`,
  );
}
