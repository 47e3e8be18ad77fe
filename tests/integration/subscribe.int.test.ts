// The public subscribe form and double opt-in: real stores, real Redis for the rate limits and
// the confirmation queue, the worker's confirmation job, the real SES v2 client against
// aws-ses-v2-local.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationWorker } from '../../workers/worker.js';
import { SubscriberInput } from '../../src/audience/schemas.js';
import { bullConnection, commandClient, type RedisClient, rateLimitPrefix } from '../../src/redis.js';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { SendQueues } from '../../src/sending/send-queues.js';
import { SesSender, sesClient } from '../../src/sending/ses-sender.js';
import { WelcomeMail } from '../../src/sending/welcome-mail.js';
import { testMediaFiles } from '../helpers/media.js';
import { createStores, type Stores } from '../../src/stores.js';
import { ConfirmationLimiter, type ConfirmationLimits } from '../../src/supporters/confirmation-limits.js';
import { ConfirmationQueue, EXPIRY_EVERY_MS } from '../../src/supporters/confirmation-queue.js';
import { Confirmations, UNCONFIRMED_LIFETIME_MS } from '../../src/supporters/confirmations.js';
import { subscribeRouter, type SubscribeLimits } from '../../src/supporters/subscribe.js';
import { REDIS_URL, TEST_PUBLIC_URL, testConfig } from '../helpers/app.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';
import { canonicalHtml, startTags } from '../helpers/html.js';

interface StoredEmail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
/** Limits no test here reaches but the one that tries them. */
const ROOMY: ConfirmationLimits = { perHour: 10_000, perDomainPerHour: 10_000 };

/** A router as app.ts mounts it, its confirmation queue, and the worker that runs the queue. */
interface Served {
  url: string;
  queue: ConfirmationQueue;
  /** Starts the queue's worker (serve() starts it unless told not to). */
  work(): void;
  /** Resolves once the queue has nothing left to do: every request recorded, every mail sent or held. */
  settle(): Promise<void>;
}

describe.each(databaseKinds())('subscribing with double opt-in on %s', (kind) => {
  let db: TestDatabase;
  let stores: Stores;
  let ses: SesEmulator;
  let redis: RedisClient;
  let connection: RedisClient;
  let main: Served;
  let baseUrl: string;
  const servers: Server[] = [];
  const workers: Worker[] = [];
  const queues: ConfirmationQueue[] = [];
  let sendQueues: SendQueues;
  const prefix = `test-${randomUUID()}`;
  const logged: { level: number; msg: string; limit?: string; count?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });

  /** Each served router has its own queue and rate-limit counters. */
  async function serve(
    options: { limits?: Partial<SubscribeLimits>; mailLimits?: ConfirmationLimits; worker?: boolean } = {},
  ): Promise<Served> {
    const config = testConfig(db);
    const own = `${prefix}:${randomUUID()}`;
    const queue = new ConfirmationQueue(connection, own);
    queues.push(queue);
    const app = express();
    app.set('trust proxy', 'loopback');
    app.use(
      subscribeRouter({
        ...stores,
        confirmations: queue,
        // Off in these tests (tests/integration/welcome-mail.int.test.ts turns it on): nothing is queued.
        welcomeMail: new WelcomeMail({ ...stores, queues: sendQueues }),
        redis,
        rateLimitPrefix: rateLimitPrefix(own),
        logger,
        limits: options.limits,
      }),
    );
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    servers.push(server);
    const confirmations = new Confirmations({
      ...stores,
      sender: new SesSender(sesClient(config, ses.url)),
      limiter: new ConfirmationLimiter(connection, rateLimitPrefix(own), options.mailLimits ?? ROOMY),
      publicUrl: config.publicUrl,
      mailFrom: config.mailFrom,
      logger,
    });
    const work = () => void workers.push(confirmationWorker(confirmations, connection, own, logger));
    if (options.worker ?? true) work();
    const settle = () =>
      waitFor('the confirmation queue to empty', async () => {
        const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).every((n) => n === 0) ? true : undefined;
      }).then(() => undefined);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, queue, work, settle };
  }

  const post = (
    path: string,
    fields: Record<string, string | string[]>,
    options: { url?: string; headers?: Record<string, string> } = {},
  ) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
    return fetch(`${options.url ?? baseUrl}${path}`, {
      method: 'POST',
      headers: { ...FORM, ...options.headers },
      body,
    });
  };
  const subscribe = (fields: Record<string, string | string[]>, lang = 'en', url = baseUrl) =>
    post(`/subscribe?lang=${lang}`, { language: 'en', ...fields }, { url });

  const allMail = async (): Promise<StoredEmail[]> =>
    ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] }).emails;
  const inbox = async (to: string): Promise<StoredEmail[]> =>
    (await allMail()).filter((mail) => mail.destination.to.includes(to));
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`gave up waiting for ${what}`);
  };
  const mails = (to: string, count: number) =>
    waitFor(`${count} mail(s) to ${to}`, async () => ((await inbox(to)).length >= count ? inbox(to) : undefined));
  /** The confirmation link of the newest mail to `to`, as a path. */
  const confirmPath = async (to: string, count = 1) => {
    const mail = (await mails(to, count)).at(-1)!;
    const url = /href="([^"]+\/confirm\/[^"]+)"/.exec(mail.body.html!)![1]!;
    return new URL(url).pathname;
  };
  const settle = () => main.settle();

  const row = (email: string) =>
    db.database.db
      .selectFrom('subscribers')
      .select(['id', 'name', 'language', 'status'])
      .where('email', '=', email)
      .executeTakeFirst();
  const topicsOf = async (id: number) =>
    (
      await db.database.db
        .selectFrom('subscriptions')
        .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
        .select('topics.key')
        .where('subscriber_id', '=', id)
        .orderBy('topics.key')
        .execute()
    ).map((t) => t.key);
  const events = (id: number) =>
    db.database.db
      .selectFrom('consent_events')
      .select(['event', 'source', 'language'])
      .where('subscriber_id', '=', id)
      .orderBy('id')
      .execute();
  const subscriberCount = async () =>
    (
      await db.database.db
        .selectFrom('subscribers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    stores = createStores(db.database, { ...testConfig(db), media: testMediaFiles() });
    ses = await startSesEmulator(0);
    await fetch(`${ses.url}/clear-store`, { method: 'POST' });
    redis = commandClient(REDIS_URL);
    connection = bullConnection(REDIS_URL);
    sendQueues = new SendQueues(connection, prefix, 1000);
    await stores.settings.update({
      organisationName: 'Red de Derechos',
      senderEmail: 'hola@red.example',
      senderName: 'Red',
    });
    await stores.topics.create({
      key: 'border',
      name: { en: 'Border news', es: 'Noticias de la frontera' },
      public: true,
    });
    await stores.topics.create({ key: 'press', name: { en: 'Press list' }, public: false });
    main = await serve({ limits: { postsPerIp: 1000 } });
    baseUrl = main.url;
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await Promise.all(workers.map((worker) => worker.close()));
    for (const queue of queues) {
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
    await sendQueues.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    connection.disconnect();
    await ses.close();
    await db.drop();
    expect(logged.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('shows a form with the public topics only, labelled, in the page language', async () => {
    const res = await fetch(`${baseUrl}/subscribe?lang=es`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<p class="field"><label for="email">Correo electrónico</label>');
    expect(html).toMatch(/<fieldset[^>]*>\n<legend id="topics-legend"[^>]*>Temas<\/legend>/);
    expect(html).toContain(
      '<p id="topics-hint" class="hint">Elija lo que desea recibir. Si no elige ninguno, recibirá todos.</p>',
    );
    expect(canonicalHtml(html)).toContain(
      canonicalHtml(
        '<label class="choice"><input type="checkbox" name="topics" value="border"> ' +
          '<span><strong>Noticias de la frontera</strong></span></label>',
      ),
    );
    expect(html).not.toContain('press');
    expect(html).not.toContain('Press list');
    expect(canonicalHtml(html)).toContain(
      canonicalHtml('<a href="/subscribe?lang=en" lang="en" hreflang="en">English</a>'),
    );
    // The honeypot: a text field off-screen, hidden from screen readers and out of the tab order.
    expect(canonicalHtml(html)).toMatch(
      /<div aria-hidden="true" style="[^"]*left:-10000px[^"]*">.*<input [^>]*name="website" [^>]*type="text">/,
    );
    expect(startTags(html, 'input').find((input) => input.name === 'website')).toMatchObject({ tabindex: '-1' });
  });

  it('makes a new address pending with its topics and language, mails it a confirmation in that language', async () => {
    const res = await subscribe({ email: ' Ana@Example.org ', name: 'Ana', language: 'es', topics: 'border' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1>Check your email</h1>');
    await settle();
    const ana = (await row('ana@example.org'))!;
    expect(ana).toMatchObject({ name: 'Ana', language: 'es', status: 'pending' });
    expect(await topicsOf(ana.id)).toEqual(['border']);
    expect(await events(ana.id)).toEqual([{ event: 'subscription_requested', source: 'form', language: 'en' }]);

    const [mail] = await mails('ana@example.org', 1);
    expect(mail!.subject).toBe('Confirme su suscripción');
    expect(mail!.from).toBe('"Red" <hola@red.example>');
    const link = /href="([^"]+\/confirm\/[^"]+)"/.exec(mail!.body.html!)![1]!;
    expect(link).toMatch(new RegExp(`^${TEST_PUBLIC_URL}/confirm/[\\w-]+\\.[\\w-]+$`));
    expect(mail!.body.html).toContain('Red de Derechos');
    expect(mail!.body.text).toContain('Confirmar mi suscripción');
    expect(mail!.body.text).toContain(link);
    const [id, expires] = stores.signer.verify('confirm', link.split('/').at(-1)!)!.split(':').map(Number);
    expect(id).toBe(ana.id);
    expect(expires! - Date.now() / 1000).toBeGreaterThan(7 * 86400 - 60);
    expect(expires! - Date.now() / 1000).toBeLessThanOrEqual(7 * 86400);
  });

  it('takes the language as people write it, a code in any case or its name, and shows the page in it', async () => {
    for (const [written, email] of [
      ['ES', 'es-code@example.org'],
      ['Spanish', 'es-english@example.org'],
      ['español', 'es-own@example.org'],
      ['EN', 'en-code@example.org'],
    ]) {
      const res = await subscribe({ email: email!, language: written!, topics: 'border' });
      expect(res.status, written).toBe(200);
      await settle();
      expect((await row(email!))?.language, written).toBe(written === 'EN' ? 'en' : 'es');
    }
    expect(await (await fetch(`${baseUrl}/subscribe?lang=Spanish`)).text()).toContain('<html lang="es"');
  });

  it("follows every public topic if none is ticked, as the form says: each topic's bulletins reach them", async () => {
    await stores.topics.create({ key: 'housing', name: { en: 'Housing' }, public: true });
    try {
      expect((await subscribe({ email: 'no-topic@example.org' })).status).toBe(200);
      await settle();
      const person = (await row('no-topic@example.org'))!;
      expect(await topicsOf(person.id)).toEqual(['border', 'housing']);
      // A choice is kept as made.
      await subscribe({ email: 'one-topic@example.org', topics: 'housing' });
      await settle();
      expect(await topicsOf((await row('one-topic@example.org'))!.id)).toEqual(['housing']);
    } finally {
      await stores.topics.delete('housing');
    }
  });

  it('shows a button on GET of the link, changing nothing; POST confirms once, however often it is sent', async () => {
    const path = await confirmPath('ana@example.org');
    const ana = (await row('ana@example.org'))!;
    const shown = await fetch(`${baseUrl}${path}`);
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).toContain('<html lang="es">');
    expect(page).toContain('a•••@example.org');
    expect(canonicalHtml(page)).toContain(
      canonicalHtml(
        '<form method="post" action="?lang=es"><button type="submit">Confirmar mi suscripción</button></form>',
      ),
    );
    expect((await row('ana@example.org'))!.status).toBe('pending');
    expect(await events(ana.id)).toHaveLength(1);

    for (let i = 0; i < 2; i++) {
      const res = await post(`${path}?lang=es`, {});
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<h1>Su suscripción está confirmada</h1>');
    }
    expect((await row('ana@example.org'))!.status).toBe('active');
    expect(await events(ana.id)).toEqual([
      { event: 'subscription_requested', source: 'form', language: 'en' },
      { event: 'confirmed', source: 'form', language: 'es' },
    ]);
    expect(await (await fetch(`${baseUrl}${path}?lang=en`)).text()).toContain(
      '<h1>Your subscription is confirmed</h1>',
    );
  });

  it('offers a new mail for an expired link, and the new link confirms', async () => {
    await subscribe({ email: 'ben@example.org' });
    await mails('ben@example.org', 1);
    const ben = (await row('ben@example.org'))!;
    const token = stores.signer.sign('confirm', `${ben.id}:${Math.floor(Date.now() / 1000) - 60}`);
    for (const method of ['GET', 'POST']) {
      const res = await fetch(`${baseUrl}/confirm/${token}`, { method });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<h1>This link has expired</h1>');
      expect(canonicalHtml(html)).toContain(
        canonicalHtml(
          `<form method="post" action="/confirm/${token}/resend?lang=en">` +
            '<button type="submit">Send me a new link</button></form>',
        ),
      );
    }
    expect((await row('ben@example.org'))!.status).toBe('pending');

    const resent = await post(`/confirm/${token}/resend?lang=en`, {});
    expect(resent.status).toBe(200);
    expect(await resent.text()).toContain('<h1>We sent you a new link</h1>');
    const fresh = await confirmPath('ben@example.org', 2);
    expect(fresh).not.toBe(`/confirm/${token}`);
    expect((await post(fresh, {})).status).toBe(200);
    expect((await row('ben@example.org'))!.status).toBe('active');
    expect((await events(ben.id)).map((e) => e.event)).toEqual(['subscription_requested', 'confirmed']);
  });

  it('answers a tampered, cut or wrong-purpose link with a friendly 400 and changes nothing', async () => {
    await subscribe({ email: 'cara@example.org' });
    const good = await confirmPath('cara@example.org');
    const cara = (await row('cara@example.org'))!;
    const token = good.split('/').at(-1)!;
    const [payload] = token.split('.');
    const bad = [
      `${token.slice(0, -3)}abc`,
      token.slice(0, -10),
      stores.signer.sign('unsubscribe', Buffer.from(payload!, 'base64url').toString()),
      'nonsense',
    ];
    for (const t of bad) {
      for (const [method, path] of [
        ['GET', `/confirm/${t}`],
        ['POST', `/confirm/${t}`],
        ['POST', `/confirm/${t}/resend`],
      ] as const) {
        const res = await fetch(`${baseUrl}${path}`, { method });
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(await res.text()).toContain('<h1>This link does not work</h1>');
      }
    }
    expect((await row('cara@example.org'))!.status).toBe('pending');
    expect(await events(cara.id)).toHaveLength(1);

    // Once they have unsubscribed, the old link confirms nothing
    await stores.supporters.unsubscribe((await stores.supporters.subscriber(cara.id))!, null);
    const res = await post(good, {});
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('<a href="/subscribe?lang=en">Subscribe</a>');
    expect((await row('cara@example.org'))!.status).toBe('unsubscribed');
  });

  it('answers the same page for a new, pending, active or suppressed address; mails only new and pending', async () => {
    await stores.subscribers.create(SubscriberInput.parse({ email: 'active@example.org', status: 'active' }), 'api');
    await stores.suppressions.add('erased@example.org', 'erased');
    const answers: string[] = [];
    for (const email of ['new@example.org', 'new@example.org', 'active@example.org', 'erased@example.org']) {
      const res = await subscribe({ email, topics: 'border' });
      expect(res.status).toBe(200);
      answers.push(await res.text());
    }
    expect(new Set(answers).size).toBe(1);
    await settle();
    expect(await inbox('new@example.org')).toHaveLength(2);
    expect(await inbox('active@example.org')).toHaveLength(0);
    expect(await inbox('erased@example.org')).toHaveLength(0);
    const active = (await row('active@example.org'))!;
    expect(active.status).toBe('active');
    expect(await topicsOf(active.id)).toEqual([]);
    expect(await events(active.id)).toHaveLength(1);
    expect(await row('erased@example.org')).toBeUndefined();
    expect((await events((await row('new@example.org'))!.id)).map((e) => e.event)).toEqual(['subscription_requested']);
  });

  it("changes nothing of someone who unsubscribed until they confirm, then applies the form's choice", async () => {
    const carol = await stores.subscribers.create(
      SubscriberInput.parse({
        email: 'carol@example.org',
        name: 'Carol',
        language: 'es',
        status: 'active',
        topics: ['press'],
      }),
      'api',
    );
    await stores.supporters.unsubscribe((await stores.supporters.subscriber(carol.id))!, null);
    const before = {
      row: await row('carol@example.org'),
      topics: await topicsOf(carol.id),
      events: await events(carol.id),
    };
    expect(before.row).toMatchObject({ name: 'Carol', language: 'es', status: 'unsubscribed' });

    // Anyone may type her address, another name, another language and a topic
    const res = await subscribe({ email: 'carol@example.org', name: 'Stranger', language: 'en', topics: 'border' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1>Check your email</h1>');
    await settle();
    expect({
      row: await row('carol@example.org'),
      topics: await topicsOf(carol.id),
      events: await events(carol.id),
    }).toEqual(before);

    // The choice travels with the mail, in the language asked for, and applies once she confirms
    const [mail] = await mails('carol@example.org', 1);
    expect(mail!.subject).toBe('Confirm your subscription');
    const path = /href="([^"]+\/confirm\/[^"]+)"/.exec(mail!.body.html!)![1]!.replace(TEST_PUBLIC_URL, '');
    const shown = await fetch(`${baseUrl}${path}`);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('<button type="submit">Confirm my subscription</button>');
    expect(await row('carol@example.org')).toEqual(before.row);
    expect((await post(path, {})).status).toBe(200);
    expect(await row('carol@example.org')).toMatchObject({ name: 'Stranger', language: 'en', status: 'active' });
    // The staff's private topic stays; the form's public choice is added
    expect(await topicsOf(carol.id)).toEqual(['border', 'press']);
    expect((await events(carol.id)).map((e) => [e.event, e.source, e.language])).toEqual([
      ['subscribed', 'api', 'es'],
      ['unsubscribed', 'link', 'es'],
      ['confirmed', 'form', 'en'],
    ]);
    // Confirmed, the request is closed: the link says so and changes nothing more
    expect((await post(path, {})).status).toBe(200);
    expect(await events(carol.id)).toHaveLength(3);
  });

  it('does nothing for a filled honeypot but answer as for a person', async () => {
    const person = await (await subscribe({ email: 'someone@example.org' })).text();
    const res = await subscribe({ email: 'bot@example.org', website: 'https://spam.example', topics: 'border' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(person);
    await settle();
    expect(await row('bot@example.org')).toBeUndefined();
    expect(await inbox('bot@example.org')).toHaveLength(0);
  });

  it('shows the form again with the error at the field for bad input, status 400, and changes nothing', async () => {
    const before = await subscriberCount();
    const cases: { fields: Record<string, string>; field: string; message: string }[] = [
      {
        fields: { email: '"><script>alert(1)</script>' },
        field: 'email',
        message: 'Enter an email address such as name@example.org.',
      },
      {
        fields: { email: 'dora@example.org', topics: 'press' },
        field: 'topics',
        message: 'Choose among the topics listed.',
      },
      {
        fields: { email: 'dora@example.org', name: 'x'.repeat(201) },
        field: 'name',
        message: 'Your name can have at most 200 characters.',
      },
      {
        fields: { email: 'dora@example.org', language: 'fr' },
        field: 'language',
        message: 'Choose one of the languages listed.',
      },
    ];
    for (const { fields, field, message } of cases) {
      const res = await subscribe(fields);
      expect(res.status, field).toBe(400);
      const html = await res.text();
      expect(html).toContain('<title>Error: Subscribe · Red de Derechos</title>');
      expect(html).toContain(
        `<p id="${field}-error" style="font-weight:700;border-inline-start:4px solid #b3261e;` +
          `padding-inline-start:8px;margin:4px 0">` +
          `Error: ${message}</p>`,
      );
      expect(html).toContain(`<li><a href="#${field === 'topics' ? 'topics-legend' : field}">${message}</a></li>`);
      if (field !== 'topics')
        expect(html).toMatch(new RegExp(`id="${field}"[^>]* aria-invalid="true" aria-describedby="${field}-error"`));
      expect(html).not.toContain('<script>');
    }
    const escaped = await (await subscribe(cases[0]!.fields)).text();
    expect(escaped).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    const spanish = await (await subscribe({ email: 'nope' }, 'es')).text();
    expect(spanish).toContain('Error: Escriba una dirección de correo como nombre@ejemplo.org.');
    expect(await subscriberCount()).toBe(before);
  });

  it('sends at most three confirmation mails a day to one mailbox, however its address is written', async () => {
    const held = () => logged.filter((line) => line.msg === 'confirmation mail held by a limit');
    const heldBefore = held().length;
    const answers = new Set<string>();
    // The review's loop: five plus-tags, three posts each
    for (const tag of ['a', 'b', 'c', 'd', 'e'])
      for (let i = 0; i < 3; i++) answers.add(await (await subscribe({ email: `victim+${tag}@example.org` })).text());
    // Gmail ignores dots, and googlemail.com is gmail.com
    for (const email of ['vic.tim@gmail.com', 'victim@googlemail.com', 'V.I.C.T.I.M+x@gmail.com', 'victim@gmail.com'])
      answers.add(await (await subscribe({ email })).text());
    expect(answers.size).toBe(1);
    await settle();
    const to = (await allMail()).map((mail) => mail.destination.to[0]!);
    expect(to.filter((address) => /^victim\+[a-e]@example\.org$/.test(address))).toHaveLength(3);
    expect(to.filter((address) => /@(gmail|googlemail)\.com$/.test(address))).toHaveLength(3);
    // Each held mail is logged as a count, without the address
    const lines = held().slice(heldBefore);
    expect(lines.map((line) => line.limit)).toEqual(Array(13).fill('mailbox'));
    expect(lines.map((line) => line.count).sort((a, b) => a! - b!)).toEqual([
      4, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/victim|vic\.tim|example\.org|gmail/);
  });

  it('holds confirmation mails past the limit per domain and across the installation', async () => {
    const limited = await serve({ mailLimits: { perHour: 5, perDomainPerHour: 3 } });
    for (let i = 0; i < 5; i++) await subscribe({ email: `member${i}@small.example` }, 'en', limited.url);
    for (const domain of ['one.example', 'two.example', 'three.example'])
      await subscribe({ email: `someone@${domain}` }, 'en', limited.url);
    await limited.settle();
    const to = (await allMail()).map((mail) => mail.destination.to[0]!);
    expect(to.filter((address) => address.endsWith('@small.example'))).toHaveLength(3);
    expect(to.filter((address) => /@(one|two|three)\.example$/.test(address))).toHaveLength(2);
  });

  it('only queues a request: the worker records it and renders and sends its mail', async () => {
    const idle = await serve({ worker: false });
    const res = await subscribe({ email: 'queued@example.org', name: 'Q', topics: 'border' }, 'en', idle.url);
    expect(res.status).toBe(200);
    const jobs = await idle.queue.queue.getJobs(['waiting']);
    expect(jobs.map((job) => [job.name, job.data])).toEqual([
      [
        'request',
        {
          kind: 'request',
          request: { email: 'queued@example.org', name: 'Q', language: 'en', topics: ['border'], pageLanguage: 'en' },
        },
      ],
    ]);
    expect(await row('queued@example.org')).toBeUndefined();
    expect(await inbox('queued@example.org')).toHaveLength(0);
    idle.work();
    await mails('queued@example.org', 1);
    expect(await row('queued@example.org')).toMatchObject({ name: 'Q', status: 'pending' });
  });

  it('deletes what the form added and no one confirmed 14 days on, and nothing else', async () => {
    const k = db.database.db;
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const request = (email: string) =>
      stores.subscriptions.request({ email, name: '', language: 'en', topics: ['border'], pageLanguage: 'en' });
    const age = (id: number, days: number) =>
      k
        .updateTable('subscribers')
        .set({ created_at: daysAgo(days) })
        .where('id', '=', id)
        .execute();

    const stale = (await request('stale@expiry.example'))!;
    const fresh = (await request('fresh@expiry.example'))!;
    await age(stale.id, 15);
    await age(fresh.id, 13);
    // Pending, old, but not the form's alone: added by staff, or set pending by staff after the form
    const byStaff = await stores.subscribers.create(
      SubscriberInput.parse({ email: 'staff@expiry.example', status: 'pending' }),
      'api',
    );
    const touched = (await request('touched@expiry.example'))!;
    for (const status of ['active', 'pending'] as const) await stores.subscribers.update(touched.id, { status }, 'api');
    for (const id of [byStaff.id, touched.id]) await age(id, 30);
    // Confirmed long ago
    const confirmed = (await request('confirmed@expiry.example'))!;
    await stores.subscriptions.confirm(confirmed, 'en');
    await age(confirmed.id, 30);
    // Someone who unsubscribed long ago, with an old request and a new one
    const left = await stores.subscribers.create(
      SubscriberInput.parse({ email: 'left@expiry.example', status: 'active' }),
      'api',
    );
    await stores.supporters.unsubscribe((await stores.supporters.subscriber(left.id))!, null);
    await age(left.id, 30);
    const oldRequest = (await request('left@expiry.example'))!;
    const newRequest = (await request('left@expiry.example'))!;
    await k
      .updateTable('subscribe_requests')
      .set({ created_at: daysAgo(15) })
      .where('id', '=', oldRequest.requestId!)
      .execute();

    await main.queue.queue.add('expire', { kind: 'expire' });
    await settle();
    const kept = await k.selectFrom('subscribers').select('email').where('email', 'like', '%@expiry.example').execute();
    expect(kept.map((r) => r.email).sort()).toEqual([
      'confirmed@expiry.example',
      'fresh@expiry.example',
      'left@expiry.example',
      'staff@expiry.example',
      'touched@expiry.example',
    ]);
    // The deleted one's topics and log went with it
    expect(await topicsOf(stale.id)).toEqual([]);
    expect(await events(stale.id)).toEqual([]);
    expect(await row('left@expiry.example')).toMatchObject({ status: 'unsubscribed' });
    const requests = await k
      .selectFrom('subscribe_requests')
      .select('id')
      .where('subscriber_id', '=', left.id)
      .execute();
    expect(requests.map((r) => r.id)).toEqual([newRequest.requestId]);
    expect(logged.filter((line) => line.msg === 'unconfirmed requests deleted')).toMatchObject([
      { subscribers: 1, requests: 1 },
    ]);
    expect(UNCONFIRMED_LIFETIME_MS).toBe(14 * 86_400_000);
  });

  it('schedules the sweep every hour, once however many workers start', async () => {
    const { queue } = await serve({ worker: false });
    await queue.scheduleExpiry();
    await queue.scheduleExpiry();
    expect((await queue.queue.getJobSchedulers()).map((s) => [s.key, s.every])).toEqual([['expire', EXPIRY_EVERY_MS]]);
  });

  it('answers 429 after too many posts from one IP address, for the form and for a new link alike', async () => {
    const { url: limited } = await serve({ limits: { postsPerIp: 2 } });
    const from = (ip: string) => ({ url: limited, headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 2; i++)
      expect((await post('/subscribe', { email: 'x@example.org', website: 'bot' }, from('198.51.100.7'))).status).toBe(
        200,
      );
    const refused = await post('/subscribe?lang=es', { email: 'x@example.org' }, from('198.51.100.7'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.text()).toContain('<h1>Demasiados intentos</h1>');
    expect((await post('/confirm/whatever/resend', {}, from('198.51.100.7'))).status).toBe(429);
    expect((await post('/subscribe', { email: 'x@example.org', website: 'bot' }, from('198.51.100.8'))).status).toBe(
      200,
    );
  });
});
