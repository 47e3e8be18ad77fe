// The public archive as a feed, in RSS 2.0 or Atom: the same bulletins the archive lists, each
// with its subject, its archive page, the date it was sent and its preheader; nothing personal.
import { Feed } from 'feed';
import { normaliseLanguage } from '../audience/languages.js';
import { escapeHtml } from '../render/html.js';
import type { Settings } from '../settings/settings.js';

export const FEED_FORMATS = ['rss', 'atom'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/** Where each format is served, under the public URL. */
export const FEED_PATHS: Record<FeedFormat, string> = { rss: '/archive/feed.xml', atom: '/archive/feed.atom' };
export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
};

/** One sent bulletin, its texts plain (placeholders filled) and in the feed's language when it has it. */
export interface FeedEntry {
  title: string;
  /** The absolute address of its archive page. */
  link: string;
  /** The preheader, when the bulletin has one. */
  summary?: string;
  sentAt: string;
}

export interface FeedChannel {
  /** "Bulletin archive · Organisation" */
  title: string;
  description: string;
  language: string;
  /** The absolute address of the archive's list in that language. */
  archiveUrl: string;
  /** The public URL, without a trailing slash. */
  publicUrl: string;
}

/**
 * The organisation's language a feed is in: the one ?lang= names, read as forms read it (ES is es,
 * es-MX is es when the organisation has no es-MX), else its default; undefined when it has no such
 * language.
 */
export function feedLanguage(settings: Settings, asked: string | undefined): string | undefined {
  if (asked === undefined) return settings.defaultLanguage;
  const code = normaliseLanguage(asked);
  return settings.languages.find((l) => l === code) ?? settings.languages.find((l) => l === code.split('-')[0]);
}

/** The feed's address in `format` and `language`, to serve, to link to and to name itself. */
export function feedPath(format: FeedFormat, language: string): string {
  return `${FEED_PATHS[format]}?lang=${encodeURIComponent(language)}`;
}

/**
 * The feed as XML. RSS titles are plain text, but Atom's (the library writes type="html") and
 * both formats' summaries are read as HTML: those get the text escaped, so a subject such as
 * "<script>" is shown, never run.
 */
export function archiveFeed(format: FeedFormat, channel: FeedChannel, entries: readonly FeedEntry[]): string {
  const feed = new Feed({
    id: channel.archiveUrl,
    link: channel.archiveUrl,
    title: channel.title,
    description: channel.description,
    language: channel.language,
    // The newest bulletin's date, so the same archive answers the same feed (an empty one: now).
    updated: entries[0] && new Date(entries[0].sentAt),
    generator: false,
    copyright: '',
    feedLinks: { [format]: `${channel.publicUrl}${feedPath(format, channel.language)}` },
  });
  for (const entry of entries) {
    feed.addItem({
      title: format === 'atom' ? escapeHtml(entry.title) : entry.title,
      id: entry.link,
      link: entry.link,
      date: new Date(entry.sentAt),
      description: entry.summary && escapeHtml(entry.summary),
    });
  }
  return format === 'atom' ? feed.atom1() : feed.rss2();
}
