// GET /archive and GET /archive/:slug: the bulletins staff published, on the public web, per
// language, with no personal data and no tracking. The "view in browser" link of a published
// send's mail lands here. Nothing is rendered for a reader: a bulletin's page was stored when its
// campaign was prepared (src/sending/archive-pages.ts); only the small bar above it is added here.
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { BulletinStore } from '../bulletins/bulletin-store.js';
import { pick, type Localised } from '../bulletins/document.js';
import { publicValues } from '../render/personalise.js';
import { compileTemplate, fillTemplate, type TemplateValues } from '../render/template.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { wordsFor } from '../words/catalogue.js';
import { archiveFeed, FEED_FORMATS, FEED_PATHS, FEED_TYPES, type FeedEntry, feedLanguage } from './archive-feed.js';
import type { ArchiveEntry, ArchiveStore } from './archive-store.js';
import { pageContext } from './page-context.js';
import {
  FeedLinks,
  type ListedBulletin,
  ListPage,
  NotFoundPage,
  READER_BAR_STYLE,
  ReaderBar,
} from './views/archive.js';
import { renderFragment, sendPage } from './views/render-page.js';

const PER_PAGE = 20;
/** A feed carries the newest bulletins only: readers poll it, and keep what they have read. */
const FEED_ENTRIES = 50;
const SLUG_WORDS = 6;
/** Ids are PostgreSQL integers: a larger number is no campaign, not a database error. */
const MAX_ID = 2_147_483_647;
const PUBLIC_CACHE = 'public, max-age=300';
/**
 * The mail's HTML is shown as is: its images load (from https), nothing else does. No script, and
 * no web font: MJML links Google Fonts, a third-party request the archive does not make.
 */
const MAIL_CSP =
  "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

const ListQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });
const FeedQuery = z.object({ lang: z.string().max(35).optional() });
/** `12` or `12-our-new-website`: any words part is accepted and redirected to the current one. */
const SLUG = /^(\d{1,10})(?:-.*)?$/s;

/** No renderer among them: the archive only reads what was stored. */
export interface ArchiveDeps {
  archive: ArchiveStore;
  bulletins: BulletinStore;
  settings: SettingsStore;
  publicUrl: string;
}

export function archiveRouter(deps: ArchiveDeps): Router {
  const router = express.Router();
  const neutral = publicValues(deps.publicUrl);

  router.use('/archive', (_req, res, next) => {
    res.set('Referrer-Policy', 'no-referrer');
    next();
  });

  router.get('/archive', async (req, res) => {
    const context = await pageContext(deps.settings, req);
    const query = ListQuery.safeParse(req.query);
    // A page number that is not one.
    if (!query.success) return void sendPage(res, 400, <NotFoundPage context={context} />);
    const { page } = query.data;
    const { entries, total } = await deps.archive.listSent(page, PER_PAGE);
    if (entries.length === 0 && page > 1) return void sendPage(res, 404, <NotFoundPage context={context} />);
    const bulletins = entries.map((entry) => listed(entry, context.lang, neutral));
    res.set('Cache-Control', PUBLIC_CACHE).vary('Accept-Language');
    const count = Math.ceil(total / PER_PAGE);
    const feed = feedLanguage(context.settings, context.lang) ?? context.settings.defaultLanguage;
    sendPage(
      res,
      200,
      <ListPage context={context} bulletins={bulletins} current={page} pages={count} feedLanguage={feed} />,
    );
  });

  // Before /archive/:slug, which would read "feed.xml" as a bulletin that is not there.
  for (const format of FEED_FORMATS) {
    router.get(FEED_PATHS[format], async (req, res) => {
      const settings = await deps.settings.get();
      const query = FeedQuery.safeParse(req.query);
      const language = query.success ? feedLanguage(settings, query.data.lang) : undefined;
      // A ?lang= given twice, or a language the organisation does not write in.
      if (language === undefined) {
        const context = await pageContext(deps.settings, req);
        return void sendPage(res, query.success ? 404 : 400, <NotFoundPage context={context} />);
      }
      const { entries } = await deps.archive.listSent(1, FEED_ENTRIES);
      const words = wordsFor(language, settings).archive;
      const channel = {
        title: `${words.title} · ${settings.organisationName}`,
        description: words.intro,
        language,
        archiveUrl: `${deps.publicUrl}/archive?lang=${encodeURIComponent(language)}`,
        publicUrl: deps.publicUrl,
      };
      const items = entries.map((entry) => feedEntry(entry, language, deps.publicUrl, neutral));
      res
        .set('Cache-Control', PUBLIC_CACHE)
        // Public, and only what the archive shows: a website's news box may read it from its own pages.
        .set('Access-Control-Allow-Origin', '*')
        .set('Cross-Origin-Resource-Policy', 'cross-origin')
        .type(FEED_TYPES[format])
        .send(archiveFeed(format, channel, items));
    });
  }

  router.get('/archive/:slug', async (req, res) => {
    const id = slugId(req.params.slug);
    const campaign = id === undefined ? undefined : await deps.archive.sentCampaign(id);
    if (!campaign) return void sendPage(res, 404, <NotFoundPage context={await pageContext(deps.settings, req)} />);
    const document = await deps.bulletins.version(campaign.bulletinVersionId);
    const slug = archiveSlug(
      campaign.id,
      plainText(document.subject, document.languages[0]!, document.languages, neutral),
    );
    if (req.params.slug !== slug) {
      const lang = typeof req.query.lang === 'string' ? `?lang=${encodeURIComponent(req.query.lang)}` : '';
      return void res.redirect(301, `${req.baseUrl}/archive/${slug}${lang}`);
    }
    const language = bulletinLanguage(req, document.languages);
    const html = await deps.archive.page(campaign.id, language);
    if (html === undefined)
      return void sendPage(res, 404, <NotFoundPage context={await pageContext(deps.settings, req)} />);
    res.set({ 'Cache-Control': PUBLIC_CACHE, 'Content-Security-Policy': MAIL_CSP }).vary('Accept-Language');
    const settings = await deps.settings.get();
    const bar = { slug, language, languages: document.languages, settings };
    const feed = feedLanguage(settings, language) ?? settings.defaultLanguage;
    res.type('html').send(withReaderBar(html, bar, feed));
  });
  return router;
}

/** "12-our-new-website-a-petition-on": the id, then the first words of the subject in plain ASCII. */
function archiveSlug(id: number, subject: string): string {
  const words = subject
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/['’]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, SLUG_WORDS);
  return [String(id), ...words].join('-');
}

function slugId(slug: string): number | undefined {
  const match = SLUG.exec(slug);
  const id = match ? Number(match[1]) : 0;
  return id >= 1 && id <= MAX_ID ? id : undefined;
}

/**
 * A text of the bulletin (its subject, its preheader) in `language`, else in its first, its
 * placeholders filled as for a public copy.
 */
function plainText(text: Localised, language: string, languages: readonly string[], values: TemplateValues): string {
  return fillTemplate(
    compileTemplate(pick(text, language, languages[0]!).replace(/\s+/g, ' '), 'plain'),
    values,
  ).trim();
}

/** ?lang=, else the browser's languages, else the bulletin's first: always one the bulletin has. */
function bulletinLanguage(req: Request, languages: readonly string[]): string {
  const asked = typeof req.query.lang === 'string' ? [req.query.lang] : [];
  for (const candidate of [...asked, ...req.acceptsLanguages()]) {
    const wanted = candidate.toLowerCase();
    const base = wanted.split('-')[0];
    const match =
      languages.find((l) => l.toLowerCase() === wanted) ??
      languages.find((l) => l.toLowerCase().split('-')[0] === base);
    if (match) return match;
  }
  return languages[0]!;
}

/** A sent bulletin as the list shows it: its subject in `lang` when it has one, else in its first language. */
function listed(entry: ArchiveEntry, lang: string, values: TemplateValues): ListedBulletin {
  const first = entry.languages[0]!;
  const shown = entry.subject[lang]?.trim() ? lang : first;
  const slug = archiveSlug(entry.id, plainText(entry.subject, first, entry.languages, values));
  return {
    href: `/archive/${slug}${entry.languages.includes(lang) ? `?lang=${lang}` : ''}`,
    subject: plainText(entry.subject, lang, entry.languages, values),
    lang: shown === lang ? undefined : shown,
    finishedAt: entry.finishedAt,
  };
}

/** A sent bulletin as a feed shows it: as the list does, with its address in full and its preheader. */
function feedEntry(entry: ArchiveEntry, language: string, publicUrl: string, values: TemplateValues): FeedEntry {
  const { href, subject } = listed(entry, language, values);
  const summary = entry.preheader && plainText(entry.preheader, language, entry.languages, values);
  return { title: subject, link: `${publicUrl}${href}`, sentAt: entry.finishedAt, summary: summary || undefined };
}

/**
 * The stored page with a small bar to the archive and the other languages at the top, and the
 * feed's links in its head. The bulletin's HTML stays as the render module made it; only these,
 * rendered by React, go in.
 */
function withReaderBar(html: string, props: Parameters<typeof ReaderBar>[0], feedLanguage: string): string {
  const style = renderFragment(
    <>
      <style>{READER_BAR_STYLE}</style>
      <FeedLinks language={feedLanguage} settings={props.settings} />
    </>,
  );
  const bar = renderFragment(<ReaderBar {...props} />);
  return html.replace(/<\/head>/i, `${style}\n</head>`).replace(/<body[^>]*>/i, (body) => `${body}\n${bar}`);
}
