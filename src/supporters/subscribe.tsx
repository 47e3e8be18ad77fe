// The public subscribe form with double opt-in. POST /subscribe answers the same "check your
// email" page whatever the address (new, pending, active, suppressed) so the form tells no one
// who is subscribed; it only queues the request for the worker, which records it and mails the
// confirmation, so the answer costs the same for every address. GET /confirm/:token only shows a
// button (mail scanners follow links); POST activates.
import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { Topic } from '../audience/schemas.js';
import type { TopicStore } from '../audience/topic-store.js';
import { noStore } from '../http/no-store.js';
import { formBody } from '../http/storable-input.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { WelcomeMail } from '../sending/welcome-mail.js';
import type { LinkSigner } from '../signed-links.js';
import { readConfirmLink } from './confirm-link.js';
import type { ConfirmationQueue } from './confirmation-queue.js';
import { pageContext } from './page-context.js';
import { FIELDS, type FormState, HONEYPOT, submitted, subscribeForm } from './subscribe-form.js';
import type { ConfirmationTarget, SubscriptionStore } from './subscription-store.js';
import type { LinkedSubscriber, SupporterStore } from './supporter-store.js';
import { NoticePage } from './views/page.js';
import { sendPage } from './views/render-page.js';
import { CheckEmailPage, ConfirmPage, type LinkAnswer, LinkAnswerPage, SubscribePage } from './views/subscribe.js';
import { type RedisClient, rateLimitStore } from '../redis.js';

export interface SubscribeLimits {
  /** POSTs that may send mail (subscribe, a new link) per IP address (IPv6: per /56). Default 10. */
  postsPerIp: number;
  /** Default 15 minutes. */
  ipWindowMs: number;
}

const DEFAULT_LIMITS: SubscribeLimits = {
  postsPerIp: 10,
  ipWindowMs: 15 * 60_000,
};

export interface SubscribeDeps {
  subscriptions: SubscriptionStore;
  /** Reads the subscriber a confirmation link names. */
  supporters: SupporterStore;
  topics: TopicStore;
  settings: SettingsStore;
  signer: LinkSigner;
  /** Where requests and new links wait for the worker. */
  confirmations: ConfirmationQueue;
  /** Queues the welcome mail of someone who has just confirmed. */
  welcomeMail: Pick<WelcomeMail, 'dispatch'>;
  /** Holds the per-IP limit's counters. */
  redis: RedisClient;
  /** Prefix of the rate limits' keys in Redis. */
  rateLimitPrefix: string;
  logger: Logger;
  limits?: Partial<SubscribeLimits>;
}

export function subscribeRouter(deps: SubscribeDeps): Router {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const router = express.Router();
  // Each answer is for one person (a form's errors, a confirmation): no cache keeps it.
  router.use(['/subscribe', '/confirm'], noStore, formBody({ limit: '8kb' }));
  const perIp = rateLimit({
    windowMs: limits.ipWindowMs,
    limit: limits.postsPerIp,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: rateLimitStore(deps.redis, `${deps.rateLimitPrefix}:subscribe-ip:`),
    logger: deps.logger,
    handler: async (req, res) => {
      const context = await pageContext(deps.settings, req);
      const w = context.words.subscribe;
      sendPage(res, 429, <NoticePage context={context} title={w.tooMany} text={w.tooManyText} />);
    },
  });

  router.get('/subscribe', async (req, res) => {
    const context = await pageContext(deps.settings, req);
    const empty: FormState = { values: { email: '', name: '', language: context.lang, topics: [] }, errors: [] };
    sendPage(res, 200, <SubscribePage context={context} topics={await publicTopics(deps.topics)} form={empty} />);
  });

  router.post('/subscribe', perIp, async (req, res) => {
    const context = await pageContext(deps.settings, req);
    const body: Record<string, unknown> = req.body ?? {};
    // A bot gets the answer a person would, and nothing happens.
    if (body[HONEYPOT]) return void sendPage(res, 200, <CheckEmailPage context={context} />);
    const topics = await publicTopics(deps.topics);
    const parsed = subscribeForm(new Set(topics.map((t) => t.key)), context.settings.languages).safeParse(body);
    if (!parsed.success) {
      const errors = FIELDS.filter((field) => parsed.error.issues.some((issue) => issue.path[0] === field));
      const form = { values: submitted(body), errors };
      return void sendPage(res, 400, <SubscribePage context={context} topics={topics} form={form} />);
    }
    await deps.confirmations.request({ ...parsed.data, pageLanguage: context.lang });
    sendPage(res, 200, <CheckEmailPage context={context} />);
  });

  router.get('/confirm/:token', async (req, res) => {
    const link = await readLink(deps, req.params.token);
    if (link.kind !== 'pending' || link.expired) return void (await answerLink(deps, req, res, link));
    const context = await pageContext(deps.settings, req, { known: link.subscription.language });
    sendPage(res, 200, <ConfirmPage context={context} email={link.subscription.email} />);
  });

  router.post('/confirm/:token', async (req, res) => {
    const link = await readLink(deps, req.params.token);
    if (link.kind !== 'pending' || link.expired) return void (await answerLink(deps, req, res, link));
    const context = await pageContext(deps.settings, req, { known: link.subscription.language });
    const { status, welcome } = await deps.subscriptions.confirm(link.subscription, context.lang);
    if (welcome) await deps.welcomeMail.dispatch(welcome);
    // Left, bounced or complained between reading the link and confirming: no longer valid.
    if (status !== 'active') return void (await answerLink(deps, req, res, { kind: 'stale' }));
    sendPage(res, 200, <LinkAnswerPage context={context} answer={{ kind: 'confirmed' }} languageSwitch={false} />);
  });

  router.post('/confirm/:token/resend', perIp, async (req, res) => {
    const link = await readLink(deps, String(req.params.token));
    if (link.kind !== 'pending') return void (await answerLink(deps, req, res, link));
    const context = await pageContext(deps.settings, req, { known: link.subscription.language });
    const w = context.words.subscribe;
    await deps.confirmations.resend({ id: link.subscription.id, requestId: link.subscription.requestId });
    sendPage(res, 200, <NoticePage context={context} title={w.resent} text={w.resentText} />);
  });
  return router;
}

type Link =
  /** Tampered, cut, or signed for another purpose. */
  | { kind: 'invalid' }
  /** The subscriber is gone, or left, bounced or complained since. */
  | { kind: 'stale' }
  | { kind: 'active'; subscription: LinkedSubscriber }
  /** A pending subscriber, or someone who unsubscribed and whose request is still open. */
  | { kind: 'pending'; subscription: ConfirmationTarget; expired: boolean; token: string };

async function readLink(deps: SubscribeDeps, token: string): Promise<Link> {
  const link = readConfirmLink(deps.signer, token);
  if (!link) return { kind: 'invalid' };
  const subscription = await deps.supporters.subscriber(link.id);
  if (subscription?.status === 'active') return { kind: 'active', subscription };
  const pending = await deps.subscriptions.target(link.id, link.requestId);
  if (!pending) return { kind: 'stale' };
  return { kind: 'pending', subscription: pending, expired: link.expired, token };
}

/** What each answer to a link is, as a status. */
const LINK_STATUS: Record<LinkAnswer['kind'], number> = { invalid: 400, stale: 410, confirmed: 200, expired: 200 };

/**
 * The page for every link but a pending, unexpired one (which gets the button, or is confirmed),
 * with the language switch on a GET only: its links GET the page, which after a POST is another.
 */
async function answerLink(deps: SubscribeDeps, req: Request, res: Response, link: Link): Promise<void> {
  const known = link.kind === 'active' || link.kind === 'pending' ? link.subscription.language : undefined;
  const context = await pageContext(deps.settings, req, { known });
  const answer = linkAnswer(req, link, context.lang);
  const page = <LinkAnswerPage context={context} answer={answer} languageSwitch={req.method === 'GET'} />;
  sendPage(res, LINK_STATUS[answer.kind], page);
}

function linkAnswer(req: Request, link: Link, lang: string): LinkAnswer {
  switch (link.kind) {
    case 'invalid':
      return { kind: 'invalid' };
    case 'stale':
      return { kind: 'stale', subscribePath: `${req.baseUrl}/subscribe?lang=${lang}` };
    case 'active':
      return { kind: 'confirmed' };
    case 'pending':
      // Expired: a pending, unexpired link never comes here.
      return {
        kind: 'expired',
        resendPath: `${req.baseUrl}/confirm/${encodeURIComponent(link.token)}/resend?lang=${lang}`,
      };
  }
}

async function publicTopics(topics: TopicStore): Promise<Topic[]> {
  return (await topics.list()).filter((topic) => topic.public);
}
