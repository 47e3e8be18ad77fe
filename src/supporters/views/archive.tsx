// The archive's own pages (the list of sent bulletins, and "not found") and the bar above an
// archived bulletin, which is the only markup placed into the bulletin's HTML.
import { textDirection } from '../../render/strings.js';
import { FEED_FORMATS, FEED_TYPES, feedPath } from '../archive-feed.js';
import type { PageContext } from '../page-context.js';
import type { Settings } from '../../settings/settings.js';
import { fillSlots, wordsFor, wordsLanguage } from '../../words/catalogue.js';
import { Page } from './page.js';
import { InOtherLanguage, Joined, LanguageSwitch, nativeLanguageName, otherLanguage } from './parts.js';

/** One sent bulletin in the list, its subject in the page language when it has one. */
export interface ListedBulletin {
  href: string;
  subject: string;
  /** The subject's language when it is not the page's. */
  lang?: string;
  finishedAt: string;
}

export function ListPage(props: {
  context: PageContext;
  bulletins: readonly ListedBulletin[];
  current: number;
  pages: number;
  /** The language of the feeds the page links to: the page's, when the organisation writes in it. */
  feedLanguage: string;
}) {
  const { context, bulletins, current, pages } = props;
  const { lang } = context;
  const w = context.words.archive;
  const pageOf = fillSlots(w.pageOf, { page: String(current), pages: String(pages) });
  const date = new Intl.DateTimeFormat(context.locale, { dateStyle: 'long' });
  const pageLink = (n: number, rel: 'prev' | 'next', label: string) => (
    <a href={`/archive?page=${n}&lang=${lang}`} rel={rel}>
      {label}
    </a>
  );
  return (
    <Page
      context={context}
      title={w.title}
      head={<FeedLinks language={props.feedLanguage} settings={context.settings} />}
    >
      <LanguageSwitch path={context.path} current={lang} languages={context.languages} />
      <h1>{w.title}</h1>
      <p>{bulletins.length ? w.intro : w.empty}</p>
      {bulletins.length > 0 && (
        <ul>
          {bulletins.map((bulletin) => (
            <li key={bulletin.href}>
              <a href={bulletin.href} lang={bulletin.lang}>
                {bulletin.subject}
              </a>
              <br />
              <time dateTime={bulletin.finishedAt}>{date.format(new Date(bulletin.finishedAt))}</time>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav aria-label={pageOf}>
          <p>
            <Joined>
              {current > 1 && pageLink(current - 1, 'prev', `← ${w.newer}`)}
              {pageOf}
              {current < pages && pageLink(current + 1, 'next', `${w.older} →`)}
            </Joined>
          </p>
        </nav>
      )}
    </Page>
  );
}

/** Not found, or a page number that is not one: in the reader's language, then in the other. */
export function NotFoundPage(props: { context: PageContext }) {
  const { context } = props;
  const { lang } = context;
  const w = context.words.archive;
  const other = otherLanguage(lang);
  const o = wordsFor(other, context.settings).archive;
  return (
    <Page context={context} title={w.notFound}>
      <h1>{w.notFound}</h1>
      <p>{w.notFoundText}</p>
      <InOtherLanguage lang={other} title={o.notFound} text={o.notFoundText} />
      <p>
        <a href={`/archive?lang=${lang}`}>{w.allBulletins}</a> ·{' '}
        <a href={`/archive?lang=${other}`} lang={other}>
          {o.allBulletins}
        </a>
      </p>
    </Page>
  );
}

/** "← All bulletins · English · Español", in the words of the bulletin's language. */
export function ReaderBar(props: { slug: string; language: string; languages: readonly string[]; settings: Settings }) {
  const { slug, language, languages, settings } = props;
  const lang = wordsLanguage(language, settings);
  const w = wordsFor(language, settings).archive;
  return (
    // In the words' own direction, which may not be the bulletin's (English words above an Arabic bulletin).
    <nav className="archive-bar" aria-label={w.title} lang={lang} dir={textDirection(lang)}>
      <Joined>
        <a href={`/archive?lang=${lang}`}>← {w.allBulletins}</a>
        {languages.length > 1 &&
          languages.map((l) =>
            l === language ? (
              <strong key={l} aria-current="page" lang={l}>
                {nativeLanguageName(l)}
              </strong>
            ) : (
              <a key={l} href={`/archive/${slug}?lang=${encodeURIComponent(l)}`} lang={l} hrefLang={l}>
                {nativeLanguageName(l)}
              </a>
            ),
          )}
      </Joined>
    </nav>
  );
}

/** The archive's feeds in `language`, for feed readers and browsers to find from a page's head. */
export function FeedLinks(props: { language: string; settings: Settings }) {
  const title = wordsFor(props.language, props.settings).archive.title;
  return FEED_FORMATS.map((format) => (
    <link
      key={format}
      rel="alternate"
      type={FEED_TYPES[format]}
      href={feedPath(format, props.language)}
      hrefLang={props.language}
      title={`${title} (${format === 'rss' ? 'RSS' : 'Atom'})`}
    />
  ));
}

/** The style of the reader bar, placed into the bulletin's head. */
export const READER_BAR_STYLE = `
  .archive-bar {
    margin: 0; padding: 12px 16px; text-align: center;
    font: 14px/1.6 -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: #5b5650;
  }
  .archive-bar a { color: #5b5650; }
  .archive-bar a:focus-visible { outline: 3px solid currentColor; outline-offset: 2px; }
  @media (prefers-color-scheme: dark) { .archive-bar, .archive-bar a { color: #c9c2b9 !important; } }
`;
