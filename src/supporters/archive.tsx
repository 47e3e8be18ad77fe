// GET /archive and GET /archive/:slug: the bulletins we sent, on the public web, per language,
// with no personal data and no tracking. The "view in browser" link of every mail lands here.
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { BulletinStore } from '../bulletins/bulletin-store.js';
import { pick, type BulletinDocument, type Localised } from '../bulletins/document.js';
import type { BulletinRenderer } from '../render/bulletin-renderer.js';
import type { MjmlEngine } from '../render/mjml-engine.js';
import { renderBulletin, type ThemeContext } from '../render/render.js';
import { compileTemplate, fillTemplate, type TemplateValues } from '../render/template.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { ArchiveEntry, ArchiveStore } from './archive-store.js';
import { type PageLanguage, wordsLanguage } from './language.js';
import { pageContext } from './page-context.js';
import { type ListedBulletin, ListPage, NotFoundPage, READER_BAR_STYLE, ReaderBar } from './views/archive.js';
import { renderFragment, sendPage } from './views/render-page.js';

const PER_PAGE = 20;
/** Rendered bulletin pages kept in memory; an MJML render costs ~20 ms. */
const CACHE_SIZE = 50;
const SLUG_WORDS = 6;
/** Ids are PostgreSQL integers: a larger number is no campaign, not a database error. */
const MAX_ID = 2_147_483_647;
const PUBLIC_CACHE = 'public, max-age=300';
/**
 * The mail's HTML is shown as is: its images load (from https), nothing else does. No script, and
 * no web font: MJML links Google Fonts, a third-party request the archive does not make.
 */
const MAIL_CSP =
  "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

const ListQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });
/** `12` or `12-our-new-website`: any words part is accepted and redirected to the current one. */
const SLUG = /^(\d{1,10})(?:-.*)?$/s;

export interface ArchiveDeps {
  archive: ArchiveStore;
  bulletins: BulletinStore;
  renderer: BulletinRenderer;
  settings: SettingsStore;
  /** The process's MJML engine (compose decides it). */
  mjml: MjmlEngine;
  publicUrl: string;
}

export function archiveRouter(deps: ArchiveDeps): Router {
  const router = express.Router();
  const neutral = neutralValues(deps.publicUrl);
  const pages = new RenderedPages(neutral, deps.publicUrl, deps.mjml);

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
    sendPage(res, 200, <ListPage context={context} bulletins={bulletins} current={page} pages={count} />);
  });

  router.get('/archive/:slug', async (req, res) => {
    const id = slugId(req.params.slug);
    const campaign = id === undefined ? undefined : await deps.archive.sentCampaign(id);
    if (!campaign) return void sendPage(res, 404, <NotFoundPage context={await pageContext(deps.settings, req)} />);
    const document = await deps.bulletins.version(campaign.bulletinVersionId);
    const slug = archiveSlug(
      campaign.id,
      plainSubject(document.subject, document.languages[0]!, document.languages, neutral),
    );
    if (req.params.slug !== slug) {
      const lang = typeof req.query.lang === 'string' ? `?lang=${encodeURIComponent(req.query.lang)}` : '';
      return void res.redirect(301, `${req.baseUrl}/archive/${slug}${lang}`);
    }
    const language = bulletinLanguage(req, document.languages);
    const html = await pages.get(campaign.id, language, slug, document, await deps.renderer.themeContext(document));
    res.set({ 'Cache-Control': PUBLIC_CACHE, 'Content-Security-Policy': MAIL_CSP }).vary('Accept-Language');
    res.type('html').send(html);
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
 * The values a public copy is filled with: nobody's name or address, so `{{first_name|friend}}`
 * shows its fallback, and no personal link: a preferences or unsubscribe placeholder written in
 * a block leads to the public subscribe page, "view in browser" to the archive.
 */
function neutralValues(publicUrl: string): TemplateValues {
  return {
    first_name: '',
    last_name: '',
    email: '',
    view_url: `${publicUrl}/archive`,
    preferences_url: `${publicUrl}/subscribe`,
    unsubscribe_url: `${publicUrl}/subscribe`,
  };
}

/** The subject in `language` (else the bulletin's first), its placeholders filled as for a public copy. */
function plainSubject(
  subject: Localised,
  language: string,
  languages: readonly string[],
  values: TemplateValues,
): string {
  return fillTemplate(
    compileTemplate(pick(subject, language, languages[0]!).replace(/\s+/g, ' '), 'plain'),
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
function listed(entry: ArchiveEntry, lang: PageLanguage, values: TemplateValues): ListedBulletin {
  const first = entry.languages[0]!;
  const shown = entry.subject[lang]?.trim() ? lang : first;
  const slug = archiveSlug(entry.id, plainSubject(entry.subject, first, entry.languages, values));
  return {
    href: `/archive/${slug}${entry.languages.includes(lang) ? `?lang=${lang}` : ''}`,
    subject: plainSubject(entry.subject, lang, entry.languages, values),
    lang: shown === lang ? undefined : shown,
    finishedAt: entry.finishedAt,
  };
}

/**
 * Bulletin pages by campaign and language, the CACHE_SIZE most recently read. An entry remembers
 * the theme context it was rendered with (settings, topic name), so a change there renders anew;
 * the document itself never changes, since a campaign pins a version.
 */
class RenderedPages {
  private readonly entries = new Map<string, { context: string; html: Promise<string> }>();

  constructor(
    private readonly values: TemplateValues,
    private readonly publicUrl: string,
    private readonly mjml: MjmlEngine,
  ) {}

  get(
    campaignId: number,
    language: string,
    slug: string,
    document: BulletinDocument,
    context: ThemeContext,
  ): Promise<string> {
    const key = `${campaignId} ${language}`;
    const fingerprint = JSON.stringify(context);
    let entry = this.entries.get(key);
    this.entries.delete(key);
    if (entry?.context !== fingerprint) {
      const fresh = { context: fingerprint, html: this.render(document, language, slug, context) };
      // A failed render is not kept; the next reader tries again.
      fresh.html.catch(() => this.entries.get(key) === fresh && this.entries.delete(key));
      entry = fresh;
    }
    this.entries.set(key, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= CACHE_SIZE) break;
      this.entries.delete(oldest);
    }
    return entry.html;
  }

  /**
   * The pinned document rendered afresh, not the campaign's stored templates: those carry the
   * tracked /c/ redirects and the footer addressed to a reader. Rendered as the archive's copy
   * (a call to subscribe instead of that footer), filled with neutral values, with a small bar
   * to the archive and the other languages at the top.
   */
  private async render(
    document: BulletinDocument,
    language: string,
    slug: string,
    context: ThemeContext,
  ): Promise<string> {
    const subscribeUrl = `${this.publicUrl}/subscribe?lang=${wordsLanguage(language)}`;
    const archiveContext: ThemeContext = { ...context, for: 'archive', subscribeUrl };
    const compiled = await renderBulletin(document, language, archiveContext, this.mjml);
    const html = fillTemplate(compiled.html, this.values);
    // The bulletin's HTML stays as the render module made it; only the bar, rendered by React,
    // goes in.
    const style = renderFragment(<style>{READER_BAR_STYLE}</style>);
    const bar = renderFragment(<ReaderBar slug={slug} language={language} languages={document.languages} />);
    return html.replace(/<\/head>/i, `${style}\n</head>`).replace(/<body[^>]*>/i, (body) => `${body}\n${bar}`);
  }
}
