// GET/POST /preferences/:token: a subscriber chooses topics, language, a pause of 30, 60 or 90
// days, or to leave everything, from the signed link in each mail. No account, no password.
import express, { type Request, type Response, type Router } from 'express';
import type { ReactElement } from 'react';
import { z } from 'zod';
import { noStore } from '../http/no-store.js';
import { formBody } from '../http/storable-input.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { LinkSigner } from '../signed-links.js';
import { LanguageChoice, offeredLanguages, pageLanguage } from './language.js';
import { pageContext } from './page-context.js';
import type { LinkedSubscriber, SupporterStore } from './supporter-store.js';
import { NoticePage } from './views/page.js';
import { PreferencesPage, type PreferencesNotice } from './views/preferences.js';
import { sendPage } from './views/render-page.js';

/** The form's fields; `languages` are the ones the page offers this subscriber. */
const Choice = (languages: readonly string[]) =>
  z.object({
    topics: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((t) => (t === undefined ? [] : Array.isArray(t) ? t : [t])),
    language: LanguageChoice(languages),
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
  router.use('/preferences/:token', noStore, formBody({ limit: '8kb' }));

  router.get('/preferences/:token', async (req, res) => {
    const subscriber = await find(deps, req.params.token);
    if (!subscriber) return void (await sendInvalid(deps, req, res));
    sendPage(res, 200, await preferencesPage(deps, req, subscriber));
  });

  router.post('/preferences/:token', async (req, res) => {
    const subscriber = await find(deps, req.params.token);
    if (!subscriber) return void (await sendInvalid(deps, req, res));
    const { languages } = await deps.settings.get();
    const parsed = Choice(offeredLanguages(languages, subscriber.language)).safeParse(req.body);
    if (!parsed.success) return void sendPage(res, 400, await preferencesPage(deps, req, subscriber));
    const choice = parsed.data;
    // The language of the page the choice was made on, for the consent record.
    const lang = pageLanguage(req, await deps.settings.get(), subscriber.language);
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
    sendPage(res, 200, await preferencesPage(deps, req, after, choice.leave ? 'left' : 'saved'));
  });
  return router;
}

async function find(deps: PreferencesDeps, token: string): Promise<LinkedSubscriber | undefined> {
  const id = deps.signer.verify('preferences', token);
  return id && /^\d+$/.test(id) ? deps.supporters.subscriber(Number(id)) : undefined;
}

/** The page in the subscriber's language as it is now: after a save, in the language just chosen. */
async function preferencesPage(
  deps: PreferencesDeps,
  req: Request,
  subscriber: LinkedSubscriber,
  notice?: PreferencesNotice,
): Promise<ReactElement> {
  const [context, topics, following] = await Promise.all([
    pageContext(deps.settings, req, { known: subscriber.language }),
    deps.supporters.publicTopics(),
    deps.supporters.topicsOf(subscriber.id),
  ]);
  return (
    <PreferencesPage context={context} subscriber={subscriber} topics={topics} following={following} notice={notice} />
  );
}

async function sendInvalid(deps: PreferencesDeps, req: Request, res: Response): Promise<void> {
  const context = await pageContext(deps.settings, req);
  const w = context.words.preferences;
  sendPage(res, 400, <NoticePage context={context} title={w.invalid} text={w.invalidText} />);
}
