// One-click unsubscribe (RFC 8058). POST /unsubscribe/:token unsubscribes at once and answers
// 200: it is the List-Unsubscribe-Post target mail clients call. GET shows a page with a button
// and changes nothing, because mail scanners follow every link they see. Every page leads on:
// to a pause or fewer topics instead, and back in once someone has left.
import express, { type Router } from 'express';
import { noStore } from '../http/no-store.js';
import { refuseContentEncoding } from '../http/storable-input.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { LinkSigner } from '../signed-links.js';
import { pageContext } from './page-context.js';
import type { LinkedSubscriber, SupporterStore } from './supporter-store.js';
import { sendPage } from './views/render-page.js';
import { AskPage, DonePage, InvalidUnsubscribeLinkPage } from './views/unsubscribe.js';

export interface UnsubscribeDeps {
  supporters: SupporterStore;
  signer: LinkSigner;
  settings: SettingsStore;
}

export function unsubscribeRouter(deps: UnsubscribeDeps): Router {
  const router = express.Router();
  // Mail clients post `List-Unsubscribe=One-Click` as a form, or nothing at all: the body is read
  // (so a large or compressed one is refused) but not walked, as nothing in it is kept.
  router.use(
    '/unsubscribe/:token',
    noStore,
    refuseContentEncoding,
    express.urlencoded({ extended: false, limit: '1kb' }),
  );

  router.get('/unsubscribe/:token', async (req, res) => {
    const target = await find(deps, req.params.token);
    const context = await pageContext(deps.settings, req, { known: target?.subscriber.language });
    if (!target) return void sendPage(res, 400, <InvalidUnsubscribeLinkPage context={context} />);
    const hasTopics = (await deps.supporters.publicTopics()).length > 0;
    const preferences = preferencesPath(deps, target, context.lang);
    const page = (
      <AskPage context={context} subscriber={target.subscriber} preferences={preferences} hasTopics={hasTopics} />
    );
    sendPage(res, 200, page);
  });

  router.post('/unsubscribe/:token', async (req, res) => {
    const target = await find(deps, req.params.token);
    const context = await pageContext(deps.settings, req, { known: target?.subscriber.language });
    if (!target) return void sendPage(res, 400, <InvalidUnsubscribeLinkPage context={context} />);
    await deps.supporters.unsubscribe(target.subscriber, target.campaignId);
    const preferences = preferencesPath(deps, target, context.lang);
    sendPage(res, 200, <DonePage context={context} email={target.subscriber.email} preferences={preferences} />);
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
 * The reader's own preferences page: the unsubscribe link proves who they are, as their mail's
 * preferences link would.
 */
function preferencesPath(deps: UnsubscribeDeps, target: Target, lang: string): string {
  return `/preferences/${deps.signer.sign('preferences', String(target.subscriber.id))}?lang=${lang}`;
}
