// The public subscribe form with double opt-in. POST /subscribe answers the same "check your
// email" page whatever the address (new, pending, active, suppressed) so the form tells no one
// who is subscribed; the confirmation mail goes out after the answer, so the answer does not
// take longer for the addresses that get one. GET /confirm/:token only shows a button (mail
// scanners follow links); POST activates.
import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { z } from 'zod';
import { confirmationEmail } from '../../emails/confirmation.js';
import { normaliseLanguage } from '../audience/languages.js';
import { Email, type Topic } from '../audience/schemas.js';
import type { TopicStore } from '../audience/topic-store.js';
import { formBody } from '../http/storable-input.js';
import { escapeHtml } from '../render/html.js';
import { fromAddress } from '../sending/from-address.js';
import type { Sender } from '../sending/ses-sender.js';
import type { Settings } from '../settings/settings.js';
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
import { maskEmail, page } from './page.js';
import type { ConfirmationTarget, SubscriptionStore } from './subscription-store.js';
import type { LinkedSubscriber, SupporterStore } from './supporter-store.js';

const WORDS = {
  en: {
    title: 'Subscribe',
    intro: (organisation: string) =>
      `Receive news and calls to action from ${organisation} by email. We will send you an email to confirm your address.`,
    email: 'Email address',
    name: 'Name (optional)',
    language: 'Language of the emails',
    topics: 'Topics',
    topicsHint: 'Choose what you want to receive. If you choose none, you receive them all.',
    honeypot: 'Leave this field empty',
    subscribe: 'Subscribe',
    leaveAnyTime: 'You can unsubscribe at any time with the link at the end of every email.',
    problem: 'Please correct the following',
    errorPrefix: 'Error',
    errors: {
      email: 'Enter an email address such as name@example.org.',
      name: 'Your name can have at most 200 characters.',
      language: 'Choose English or Spanish.',
      topics: 'Choose among the topics listed.',
    },
    checkEmail: 'Check your email',
    checkEmailText: [
      'To finish, open the email we sent you and confirm your subscription. The link works for 7 days.',
      'If nothing arrives within a few minutes, look in your spam folder. If you are already subscribed, there is nothing more to do.',
    ],
    tooMany: 'Too many attempts',
    tooManyText: 'Please wait a few minutes and try again.',
    confirm: 'Confirm your subscription',
    confirmText: (organisation: string) => `Confirm that you want to receive the emails of ${organisation} at`,
    confirmButton: 'Confirm my subscription',
    confirmed: 'Your subscription is confirmed',
    confirmedText:
      'Thank you. You will receive our next emails at this address. Every email has a link to unsubscribe.',
    expired: 'This link has expired',
    expiredText: 'Confirmation links work for 7 days. We can send you a new one.',
    resend: 'Send me a new link',
    resent: 'We sent you a new link',
    resentText:
      'Open the email and confirm your subscription within 7 days. If nothing arrives within a few minutes, look in your spam folder.',
    invalid: 'This link does not work',
    invalidText: 'The link may have been cut short when it was copied. Please open the link in the email again.',
    stale: 'This link is no longer valid',
    staleText: 'You can subscribe again at any time:',
  },
  es: {
    title: 'Suscríbete',
    intro: (organisation: string) =>
      `Recibe por correo las noticias y los llamados a la acción de ${organisation}. Te enviaremos un correo para confirmar tu dirección.`,
    email: 'Correo electrónico',
    name: 'Nombre (opcional)',
    language: 'Idioma de los correos',
    topics: 'Temas',
    topicsHint: 'Elige lo que quieres recibir. Si no eliges ninguno, los recibes todos.',
    honeypot: 'Deja este campo vacío',
    subscribe: 'Suscribirme',
    leaveAnyTime: 'Puedes darte de baja cuando quieras con el enlace al final de cada correo.',
    problem: 'Corrige lo siguiente',
    errorPrefix: 'Error',
    errors: {
      email: 'Escribe una dirección de correo como nombre@ejemplo.org.',
      name: 'Tu nombre puede tener como máximo 200 caracteres.',
      language: 'Elige inglés o español.',
      topics: 'Elige entre los temas de la lista.',
    },
    checkEmail: 'Revisa tu correo',
    checkEmailText: [
      'Para terminar, abre el correo que te enviamos y confirma tu suscripción. El enlace funciona durante 7 días.',
      'Si no llega en unos minutos, busca en la carpeta de correo no deseado. Si ya tienes una suscripción, no tienes que hacer nada más.',
    ],
    tooMany: 'Demasiados intentos',
    tooManyText: 'Espera unos minutos y vuelve a intentarlo.',
    confirm: 'Confirma tu suscripción',
    confirmText: (organisation: string) => `Confirma que quieres recibir los correos de ${organisation} en`,
    confirmButton: 'Confirmar mi suscripción',
    confirmed: 'Tu suscripción está confirmada',
    confirmedText:
      'Gracias. Recibirás nuestros próximos correos en esta dirección. Cada correo tiene un enlace para darte de baja.',
    expired: 'Este enlace ha caducado',
    expiredText: 'Los enlaces de confirmación funcionan durante 7 días. Podemos enviarte uno nuevo.',
    resend: 'Envíame un enlace nuevo',
    resent: 'Te enviamos un enlace nuevo',
    resentText:
      'Abre el correo y confirma tu suscripción en los próximos 7 días. Si no llega en unos minutos, busca en la carpeta de correo no deseado.',
    invalid: 'Este enlace no funciona',
    invalidText: 'Puede que el enlace se haya cortado al copiarlo. Vuelve a abrir el enlace del correo.',
    stale: 'Este enlace ya no es válido',
    staleText: 'Puedes volver a suscribirte cuando quieras:',
  },
} satisfies Record<PageLanguage, unknown>;

const NAME_MAX = 200;
/** A confirmation link works this long. */
const CONFIRMATION_LIFETIME_SECONDS = 7 * 24 * 3600;
/** A field no person sees: only a bot fills it in. */
const HONEYPOT = 'website';

export interface SubscribeLimits {
  /** POSTs that may send mail (subscribe, a new link) per IP address (IPv6: per /56). Default 10. */
  postsPerIp: number;
  /** Default 15 minutes. */
  ipWindowMs: number;
  /** Confirmation mails per subscriber; beyond, the answer is the same but nothing is sent. Default 3. */
  mailsPerAddress: number;
  /** Default 1 hour. */
  addressWindowMs: number;
}

const DEFAULT_LIMITS: SubscribeLimits = {
  postsPerIp: 10,
  ipWindowMs: 15 * 60_000,
  mailsPerAddress: 3,
  addressWindowMs: 60 * 60_000,
};

export interface SubscribeDeps {
  subscriptions: SubscriptionStore;
  /** Reads the subscriber a confirmation link names. */
  supporters: SupporterStore;
  topics: TopicStore;
  settings: SettingsStore;
  signer: LinkSigner;
  sender: Sender;
  /** Base of the confirmation link in the mail. */
  publicUrl: string;
  /** The From when the settings name no sender. */
  mailFrom: string;
  /** Holds the rate limits' counters. */
  redis: Redis;
  /** Prefix of the rate limits' keys in Redis. */
  rateLimitPrefix: string;
  /** Where a confirmation mail that could not be sent is reported (the person already has their answer). */
  logger: Logger;
  limits?: Partial<SubscribeLimits>;
}

type Field = 'email' | 'name' | 'language' | 'topics';
const FIELDS: readonly Field[] = ['email', 'name', 'language', 'topics'];

/** A repeated form field arrives as an array, a single one as a string, an unticked one not at all. */
const oneOrMany = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : [value].flat()));

function subscribeForm(publicTopics: ReadonlySet<string>) {
  return z.object({
    email: Email,
    name: z.string().trim().max(NAME_MAX).default(''),
    language: PageLanguageChoice,
    // None ticked is every public topic, as the form says: someone confirmed into no topic would
    // be left out of every bulletin that has one.
    topics: oneOrMany.pipe(
      z
        .array(z.string())
        .max(100)
        .refine((keys) => keys.every((key) => publicTopics.has(key)))
        .transform((keys) => (keys.length ? keys : [...publicTopics])),
    ),
  });
}

interface FormState {
  values: { email: string; name: string; language: string; topics: readonly string[] };
  errors: readonly Field[];
}

export function subscribeRouter(deps: SubscribeDeps): Router {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const router = express.Router();
  router.use(['/subscribe', '/confirm'], formBody({ limit: '8kb' }));
  const perIp = rateLimit({
    windowMs: limits.ipWindowMs,
    limit: limits.postsPerIp,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new RedisStore({
      sendCommand: (command: string, ...args: string[]) => deps.redis.call(command, ...args) as Promise<RedisReply>,
      prefix: `${deps.rateLimitPrefix}:subscribe-ip:`,
    }),
    logger: deps.logger,
    handler: async (req, res) => {
      const settings = await deps.settings.get();
      const lang = pageLanguage(req, undefined, settings.defaultLanguage);
      const w = WORDS[lang];
      sendPage(
        res,
        429,
        page(settings, lang, w.tooMany, `<h1>${escapeHtml(w.tooMany)}</h1>\n<p>${escapeHtml(w.tooManyText)}</p>`),
      );
    },
  });
  const mailConfirmation = confirmationMailer(deps, limits);

  router.get('/subscribe', async (req, res) => {
    const settings = await deps.settings.get();
    const lang = pageLanguage(req, undefined, settings.defaultLanguage);
    const empty: FormState = { values: { email: '', name: '', language: lang, topics: [] }, errors: [] };
    sendPage(res, 200, subscribePage(req, settings, lang, await publicTopics(deps.topics), empty));
  });

  router.post('/subscribe', perIp, async (req, res) => {
    const settings = await deps.settings.get();
    const lang = pageLanguage(req, undefined, settings.defaultLanguage);
    const body: Record<string, unknown> = req.body ?? {};
    // A bot gets the answer a person would, and nothing happens.
    if (body[HONEYPOT]) return void sendPage(res, 200, checkEmailPage(settings, lang));
    const topics = await publicTopics(deps.topics);
    const parsed = subscribeForm(new Set(topics.map((t) => t.key))).safeParse(body);
    if (!parsed.success) {
      const errors = FIELDS.filter((field) => parsed.error.issues.some((issue) => issue.path[0] === field));
      return void sendPage(res, 400, subscribePage(req, settings, lang, topics, { values: submitted(body), errors }));
    }
    const target = await deps.subscriptions.request({ ...parsed.data, pageLanguage: lang });
    sendPage(res, 200, checkEmailPage(settings, lang));
    if (target) mailConfirmation(target);
  });

  router.get('/confirm/:token', async (req, res) => {
    const link = await readLink(deps, req.params.token);
    if (link.kind !== 'pending' || link.expired) return void (await answerLink(deps, req, res, link));
    const settings = await deps.settings.get();
    const lang = pageLanguage(req, link.subscription.language, settings.defaultLanguage);
    const w = WORDS[lang];
    const body = `${languageSwitch(req, lang)}
<h1>${escapeHtml(w.confirm)}</h1>
<p>${escapeHtml(w.confirmText(settings.organisationName))} <strong>${escapeHtml(maskEmail(link.subscription.email))}</strong>.</p>
<form method="post" action="?lang=${lang}"><button type="submit">${escapeHtml(w.confirmButton)}</button></form>`;
    sendPage(res, 200, page(settings, lang, w.confirm, body));
  });

  router.post('/confirm/:token', async (req, res) => {
    const link = await readLink(deps, req.params.token);
    if (link.kind !== 'pending' || link.expired) return void (await answerLink(deps, req, res, link));
    const settings = await deps.settings.get();
    const lang = pageLanguage(req, link.subscription.language, settings.defaultLanguage);
    const status = await deps.subscriptions.confirm(link.subscription.id, lang);
    await answerLink(
      deps,
      req,
      res,
      status === 'active' ? { kind: 'active', subscription: link.subscription } : { kind: 'stale' },
    );
  });

  router.post('/confirm/:token/resend', perIp, async (req, res) => {
    const link = await readLink(deps, String(req.params.token));
    if (link.kind !== 'pending') return void (await answerLink(deps, req, res, link));
    const settings = await deps.settings.get();
    const lang = pageLanguage(req, link.subscription.language, settings.defaultLanguage);
    const w = WORDS[lang];
    sendPage(
      res,
      200,
      page(settings, lang, w.resent, `<h1>${escapeHtml(w.resent)}</h1>\n<p>${escapeHtml(w.resentText)}</p>`),
    );
    mailConfirmation(link.subscription);
  });
  return router;
}

type Link =
  /** Tampered, cut, or signed for another purpose. */
  | { kind: 'invalid' }
  /** The subscriber is gone, or left, bounced or complained since. */
  | { kind: 'stale' }
  | { kind: 'active'; subscription: LinkedSubscriber }
  | { kind: 'pending'; subscription: LinkedSubscriber; expired: boolean; token: string };

async function readLink(deps: SubscribeDeps, token: string): Promise<Link> {
  const payload = deps.signer.verify('confirm', token);
  const match = payload && /^(\d+):(\d+)$/.exec(payload);
  if (!match) return { kind: 'invalid' };
  const subscription = await deps.supporters.subscriber(Number(match[1]));
  if (subscription?.status === 'active') return { kind: 'active', subscription };
  if (subscription?.status !== 'pending') return { kind: 'stale' };
  return { kind: 'pending', subscription, expired: Number(match[2]) * 1000 <= Date.now(), token };
}

/** The page for every link but a pending, unexpired one (which gets the button, or is confirmed). */
async function answerLink(deps: SubscribeDeps, req: Request, res: Response, link: Link): Promise<void> {
  const settings = await deps.settings.get();
  const known = link.kind === 'active' || link.kind === 'pending' ? link.subscription.language : undefined;
  const lang = pageLanguage(req, known, settings.defaultLanguage);
  const w = WORDS[lang];
  const nav = req.method === 'GET' ? `${languageSwitch(req, lang)}\n` : '';
  const answer = (status: number, title: string, body: string) =>
    sendPage(res, status, page(settings, lang, title, `${nav}<h1>${escapeHtml(title)}</h1>\n${body}`));
  switch (link.kind) {
    case 'invalid':
      return answer(400, w.invalid, `<p>${escapeHtml(w.invalidText)}</p>`);
    case 'stale':
      return answer(
        410,
        w.stale,
        `<p>${escapeHtml(w.staleText)} <a href="${escapeHtml(req.baseUrl)}/subscribe?lang=${lang}">${escapeHtml(w.title)}</a></p>`,
      );
    case 'active':
      return answer(200, w.confirmed, `<p>${escapeHtml(w.confirmedText)}</p>`);
    case 'pending': {
      // Expired: a pending, unexpired link never comes here.
      const action = `${req.baseUrl}/confirm/${encodeURIComponent(link.token)}/resend?lang=${lang}`;
      return answer(
        200,
        w.expired,
        `<p>${escapeHtml(w.expiredText)}</p>\n<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(w.resend)}</button></form>`,
      );
    }
  }
}

/**
 * Sends a confirmation mail in the background, at most `mailsPerAddress` a window per
 * subscriber. The person already has their answer, so a failure is logged, not shown.
 */
function confirmationMailer(deps: SubscribeDeps, limits: SubscribeLimits): (target: ConfirmationTarget) => void {
  const send = async (target: ConfirmationTarget) => {
    const key = `${deps.rateLimitPrefix}:confirmation-mails:${target.id}`;
    if (!(await withinLimit(deps.redis, key, limits.mailsPerAddress, limits.addressWindowMs))) {
      deps.logger.info({ subscriberId: target.id }, 'confirmation mail not sent: the per-address limit is reached');
      return;
    }
    const settings = await deps.settings.get();
    const expires = Math.floor(Date.now() / 1000) + CONFIRMATION_LIFETIME_SECONDS;
    const token = deps.signer.sign('confirm', `${target.id}:${expires}`);
    const mail = await confirmationEmail({
      language: target.language,
      organisationName: settings.organisationName,
      postalAddress: settings.postalAddress,
      brandColor: settings.brandColor,
      confirmUrl: `${deps.publicUrl}/confirm/${token}`,
    });
    await deps.sender.send({
      from: fromAddress(settings, deps.mailFrom),
      to: target.email,
      replyTo: settings.replyTo || undefined,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: {},
      tags: { type: 'confirmation' },
    });
  };
  return (target) => {
    send(target).catch((err: unknown) =>
      deps.logger.error({ err, subscriberId: target.id }, 'confirmation mail failed'),
    );
  };
}

/** Counts one more in a fixed window that starts with the first; true while within `limit`. */
async function withinLimit(redis: Redis, key: string, limit: number, windowMs: number): Promise<boolean> {
  const replies = await redis.multi().set(key, 0, 'PX', windowMs, 'NX').incr(key).exec();
  const [err, count] = replies?.[1] ?? [new Error('the Redis transaction was aborted'), null];
  if (err) throw err;
  return Number(count) <= limit;
}

async function publicTopics(topics: TopicStore): Promise<Topic[]> {
  return (await topics.list()).filter((topic) => topic.public);
}

/** What the person typed, to show again beside the errors. */
function submitted(body: Record<string, unknown>): FormState['values'] {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    email: text(body.email),
    name: text(body.name),
    language: normaliseLanguage(text(body.language)),
    topics: [body.topics].flat().filter((t): t is string => typeof t === 'string'),
  };
}

function sendPage(res: Response, status: number, html: string): void {
  res.status(status).set('cache-control', 'no-store').type('html').send(html);
}

function checkEmailPage(settings: Settings, lang: PageLanguage): string {
  const w = WORDS[lang];
  return page(
    settings,
    lang,
    w.checkEmail,
    `<h1>${escapeHtml(w.checkEmail)}</h1>\n${w.checkEmailText.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}`,
  );
}

const ERROR_STYLE = 'font-weight:700;border-left:4px solid #b3261e;padding-left:8px;margin:4px 0';
// Off screen rather than display:none, which some bots check for; hidden from assistive technology.
const HONEYPOT_STYLE = 'position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden';

function subscribePage(
  req: Request,
  settings: Settings,
  lang: PageLanguage,
  topics: readonly Topic[],
  form: FormState,
): string {
  const w = WORDS[lang];
  const { values, errors } = form;
  const error = (field: Field) =>
    errors.includes(field)
      ? `<p id="${field}-error" style="${ERROR_STYLE}">${escapeHtml(w.errorPrefix)}: ${escapeHtml(w.errors[field])}</p>\n`
      : '';
  const invalid = (field: Field) =>
    errors.includes(field) ? ` aria-invalid="true" aria-describedby="${field}-error"` : '';

  const summary = errors.length
    ? `<div style="${ERROR_STYLE};padding:8px 12px" aria-labelledby="problem">
<h2 id="problem" style="font-size:19px;margin:0 0 8px">${escapeHtml(w.problem)}</h2>
<ul>${errors.map((field) => `<li><a href="#${field === 'topics' ? 'topics-legend' : field}">${escapeHtml(w.errors[field])}</a></li>`).join('')}</ul>
</div>\n`
    : '';
  const languages = languageOptions(values.language);
  const topicBoxes = topicCheckboxes(topics, lang, values.topics);
  const topicsFieldset = topics.length
    ? `<fieldset aria-describedby="topics-hint${errors.includes('topics') ? ' topics-error' : ''}">
<legend id="topics-legend" tabindex="-1">${escapeHtml(w.topics)}</legend>
<p id="topics-hint" class="hint">${escapeHtml(w.topicsHint)}</p>
${error('topics')}${topicBoxes}
</fieldset>\n`
    : '';

  const body = `${errors.length ? '' : `${languageSwitch(req, lang)}\n`}<h1>${escapeHtml(w.title)}</h1>
<p>${escapeHtml(w.intro(settings.organisationName))}</p>
${summary}<form method="post" action="?lang=${lang}">
<p class="field"><label for="email">${escapeHtml(w.email)}</label><br>
${error('email')}<input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${escapeHtml(values.email)}"${invalid('email')}></p>
<p class="field"><label for="name">${escapeHtml(w.name)}</label><br>
${error('name')}<input id="name" name="name" type="text" autocomplete="name" maxlength="${NAME_MAX}" value="${escapeHtml(values.name)}"${invalid('name')}></p>
<p class="field"><label for="language">${escapeHtml(w.language)}</label><br>
${error('language')}<select id="language" name="language"${invalid('language')}>${languages}</select></p>
${topicsFieldset}<div style="${HONEYPOT_STYLE}" aria-hidden="true"><label for="${HONEYPOT}">${escapeHtml(w.honeypot)}</label> <input id="${HONEYPOT}" name="${HONEYPOT}" type="text" tabindex="-1" autocomplete="off"></div>
<p><button type="submit">${escapeHtml(w.subscribe)}</button></p>
</form>
<p>${escapeHtml(w.leaveAnyTime)}</p>`;
  return page(settings, lang, errors.length ? `${w.errorPrefix}: ${w.title}` : w.title, body);
}
