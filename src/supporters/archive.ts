// GET /archive and GET /archive/:slug: the bulletins we sent, on the public web, per language,
// with no personal data and no tracking. The "view in browser" link of every mail lands here.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { BulletinStore } from '../bulletins/bulletin-store.js';
import { pick, type BulletinDocument, type Localised } from '../bulletins/document.js';
import type { BulletinPreviews } from '../bulletins/previews.js';
import { escapeHtml } from '../render/html.js';
import { renderBulletin, type ThemeContext } from '../render/render.js';
import { compileTemplate, fillTemplate, type TemplateValues } from '../render/template.js';
import type { Settings } from '../settings/settings.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { ArchiveEntry, ArchiveStore } from './archive-store.js';
import { PAGE_LANGUAGES, languageSwitch, pageLanguage, type PageLanguage } from './language.js';
import { page } from './page.js';

const WORDS = {
  en: {
    title: 'Bulletin archive',
    intro: 'Every bulletin we have sent, newest first.',
    empty: 'No bulletins have been sent yet.',
    newer: 'Newer bulletins',
    older: 'Older bulletins',
    pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
    allBulletins: 'All bulletins',
    notFound: 'Bulletin not found',
    notFoundText:
      'There is no bulletin at this address. It may not have been sent yet, or the link may have been cut short when it was copied.',
  },
  es: {
    title: 'Archivo de boletines',
    intro: 'Todos los boletines que hemos enviado, del más reciente al más antiguo.',
    empty: 'Todavía no hemos enviado ningún boletín.',
    newer: 'Boletines más recientes',
    older: 'Boletines anteriores',
    pageOf: (page: number, pages: number) => `Página ${page} de ${pages}`,
    allBulletins: 'Todos los boletines',
    notFound: 'No encontramos este boletín',
    notFoundText:
      'No hay ningún boletín en esta dirección. Puede que aún no se haya enviado, o que el enlace se haya cortado al copiarlo.',
  },
} satisfies Record<PageLanguage, unknown>;

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
  "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const ListQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });
/** `12` or `12-our-new-website`: any words part is accepted and redirected to the current one. */
const SLUG = /^(\d{1,10})(?:-.*)?$/s;

export interface ArchiveDeps {
  archive: ArchiveStore;
  bulletins: BulletinStore;
  previews: BulletinPreviews;
  settings: SettingsStore;
  publicUrl: string;
}

export function archiveRouter(deps: ArchiveDeps): Router {
  const router = express.Router();
  const neutral = neutralValues(deps.publicUrl);
  const pages = new RenderedPages(neutral, deps.publicUrl);

  router.use('/archive', (_req, res, next) => {
    res.set('Referrer-Policy', 'no-referrer');
    next();
  });

  router.get('/archive', async (req, res) => {
    const settings = await deps.settings.get();
    const lang = pageLanguage(req, undefined, settings.defaultLanguage);
    const query = ListQuery.safeParse(req.query);
    if (!query.success) return void sendNotFound(res, settings, lang, 400);
    const { entries, total } = await deps.archive.listSent(query.data.page, PER_PAGE);
    if (entries.length === 0 && query.data.page > 1) return void sendNotFound(res, settings, lang, 404);
    res.set('Cache-Control', PUBLIC_CACHE).vary('Accept-Language');
    res
      .type('html')
      .send(listPage(req, settings, lang, entries, query.data.page, Math.ceil(total / PER_PAGE), neutral));
  });

  router.get('/archive/:slug', async (req, res) => {
    const id = slugId(req.params.slug);
    const campaign = id === undefined ? undefined : await deps.archive.sentCampaign(id);
    if (!campaign) {
      const settings = await deps.settings.get();
      return void sendNotFound(res, settings, pageLanguage(req, undefined, settings.defaultLanguage), 404);
    }
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
    const html = await pages.get(campaign.id, language, slug, document, await deps.previews.themeContext(document));
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

/** The words of our own pages closest to a bulletin language: Spanish for es-*, else English. */
function wordsLanguage(language: string): PageLanguage {
  const base = language.toLowerCase().split('-')[0];
  return PAGE_LANGUAGES.find((l) => l === base) ?? 'en';
}

/** "English", "Español": each language in its own words. */
function languageName(code: string): string {
  const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
}

function listPage(
  req: Request,
  settings: Settings,
  lang: PageLanguage,
  entries: ArchiveEntry[],
  current: number,
  pages: number,
  values: TemplateValues,
): string {
  const w = WORDS[lang];
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long' });
  const items = entries.map((entry) => {
    const shown = entry.subject[lang]?.trim() ? lang : entry.languages[0]!;
    const subject = plainSubject(entry.subject, lang, entry.languages, values);
    const slug = archiveSlug(entry.id, plainSubject(entry.subject, entry.languages[0]!, entry.languages, values));
    const href = `/archive/${slug}${entry.languages.includes(lang) ? `?lang=${lang}` : ''}`;
    return `<li><a href="${escapeHtml(href)}"${shown === lang ? '' : ` lang="${escapeHtml(shown)}"`}>${escapeHtml(subject)}</a><br><time datetime="${escapeHtml(entry.finishedAt)}">${escapeHtml(date.format(new Date(entry.finishedAt)))}</time></li>`;
  });
  const pageLink = (n: number, rel: 'prev' | 'next', label: string) =>
    `<a href="/archive?page=${n}&amp;lang=${lang}" rel="${rel}">${escapeHtml(label)}</a>`;
  const pagination =
    pages > 1
      ? `<nav aria-label="${escapeHtml(w.pageOf(current, pages))}"><p>${[
          current > 1 ? pageLink(current - 1, 'prev', `← ${w.newer}`) : '',
          escapeHtml(w.pageOf(current, pages)),
          current < pages ? pageLink(current + 1, 'next', `${w.older} →`) : '',
        ]
          .filter(Boolean)
          .join(' · ')}</p></nav>`
      : '';
  return page(
    settings,
    lang,
    w.title,
    `${languageSwitch(req, lang)}
<h1>${escapeHtml(w.title)}</h1>
<p>${escapeHtml(entries.length ? w.intro : w.empty)}</p>
${items.length ? `<ul>\n${items.join('\n')}\n</ul>` : ''}
${pagination}`,
  );
}

/** Not found (404) or a page number that is not one (400), in the reader's language and the other. */
function sendNotFound(res: Response, settings: Settings, lang: PageLanguage, status: 400 | 404): void {
  const w = WORDS[lang];
  const otherLang = PAGE_LANGUAGES.find((l) => l !== lang)!;
  const other = WORDS[otherLang];
  res
    .status(status)
    .type('html')
    .send(
      page(
        settings,
        lang,
        w.notFound,
        `<h1>${escapeHtml(w.notFound)}</h1>
<p>${escapeHtml(w.notFoundText)}</p>
<p lang="${otherLang}"><strong>${escapeHtml(other.notFound)}.</strong> ${escapeHtml(other.notFoundText)}</p>
<p><a href="/archive?lang=${lang}">${escapeHtml(w.allBulletins)}</a> · <a href="/archive?lang=${otherLang}" lang="${otherLang}">${escapeHtml(other.allBulletins)}</a></p>`,
      ),
    );
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
    const compiled = await renderBulletin(document, language, { ...context, for: 'archive', subscribeUrl });
    const html = fillTemplate(compiled.html, this.values);
    return html
      .replace(/<\/head>/i, `${READER_BAR_STYLE}</head>`)
      .replace(/<body[^>]*>/i, (body) => `${body}\n${readerBar(slug, language, document.languages)}`);
  }
}

const READER_BAR_STYLE = `<style>
  .archive-bar { margin: 0; padding: 12px 16px; text-align: center; font: 14px/1.6 -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #5b5650; }
  .archive-bar a { color: #5b5650; }
  .archive-bar a:focus-visible { outline: 3px solid currentColor; outline-offset: 2px; }
  @media (prefers-color-scheme: dark) { .archive-bar, .archive-bar a { color: #c9c2b9 !important; } }
</style>
`;

/** "← All bulletins · English · Español", in the words of the bulletin's language. */
function readerBar(slug: string, language: string, languages: readonly string[]): string {
  const lang = wordsLanguage(language);
  const w = WORDS[lang];
  const switches = languages.map((l) =>
    l === language
      ? `<strong aria-current="page" lang="${escapeHtml(l)}">${escapeHtml(languageName(l))}</strong>`
      : `<a href="/archive/${escapeHtml(slug)}?lang=${encodeURIComponent(l)}" lang="${escapeHtml(l)}" hreflang="${escapeHtml(l)}">${escapeHtml(languageName(l))}</a>`,
  );
  const links = [
    `<a href="/archive?lang=${lang}">← ${escapeHtml(w.allBulletins)}</a>`,
    ...(languages.length > 1 ? switches : []),
  ];
  return `<nav class="archive-bar" aria-label="${escapeHtml(w.title)}" lang="${lang}">${links.join(' · ')}</nav>`;
}
