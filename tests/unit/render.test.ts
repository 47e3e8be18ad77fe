import { describe, expect, it } from 'vitest';
import type { Block, BulletinDocument } from '../../src/bulletins/document.js';
import { personalise, recipientLinks, type RecipientLinks } from '../../src/render/personalise.js';
import { contrast } from '../../src/render/contrast.js';
import { renderBulletin } from '../../src/render/render.js';
import { LinkSigner } from '../../src/signed-links.js';
import { ORGANISATION, exampleBulletin } from '../helpers/bulletins.js';

const LINKS: RecipientLinks = {
  unsubscribe: 'https://news.example.org/u/tok-u',
  preferences: 'https://news.example.org/preferences/tok-p',
  view: 'https://news.example.org/view/tok-v',
};
const ANA = { subscriberId: 7, email: 'ana@example.org', name: 'Ana López García' };
const context = { settings: ORGANISATION, topicName: { en: 'Weekly bulletin', es: 'Boletín semanal' } };

function doc(blocks: Block[], extra: Partial<BulletinDocument> = {}): BulletinDocument {
  return {
    version: 1,
    title: 't',
    languages: ['en', 'es'],
    subject: { en: 'Hello {{first_name|friend}}', es: 'Hola {{first_name|amistad}}' },
    blocks,
    ...extra,
  };
}

/** The texts a reader must find of each block of the example, in one language. */
function visibleTexts(block: Block, language: 'en' | 'es'): string[] {
  switch (block.type) {
    case 'announcement':
      return [block.heading[language]!, block.link!.label[language]!];
    case 'statement':
      return [block.heading![language]!, block.speaker, block.role![language]!, block.link!.label[language]!];
    case 'call_to_action':
      return [block.heading[language]!, block.button.label[language]!, block.goal!.unit![language]!];
    case 'survey':
      return [
        block.heading[language]!,
        ...block.items!.map((i) => i[language]!),
        block.contact!,
        block.button!.label[language]!,
        ...(block.hashtags as string[]),
      ];
    case 'text':
      return [
        block.body[language]!.split(/[*[\]]/)[0]!
          .trim()
          .slice(0, 40),
      ];
    default:
      return [];
  }
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('renderBulletin and personalise', () => {
  const example = exampleBulletin();

  it.each(['en', 'es'] as const)(
    'puts every block of the example in the HTML and the text part, in %s only',
    async (language) => {
      const other = language === 'en' ? 'es' : 'en';
      const message = personalise(await renderBulletin(example, language, context), ANA, LINKS);
      for (const block of example.blocks) {
        for (const text of visibleTexts(block, language)) {
          expect(message.html, text).toContain(escapeHtml(text));
          expect(message.text, text).toContain(text);
        }
        if (block.type === 'announcement' || block.type === 'call_to_action' || block.type === 'survey') {
          expect(message.html).not.toContain(escapeHtml(block.heading[other]!));
          expect(message.text).not.toContain(block.heading[other]!);
        }
      }
      expect(message.subject).toBe(example.subject[language]);
    },
  );

  it("sets lang on the document and writes the footer in the reader's language", async () => {
    const es = personalise(await renderBulletin(example, 'es', context), ANA, LINKS);
    expect(es.html).toMatch(/<html[^>]* lang="es"/);
    expect(es.html).toContain('Boletín semanal');
    expect(es.html).toContain('Cancelar la suscripción');
    expect(es.html).toContain('se suscribió a la lista «<strong>Boletín semanal</strong>» de');
    expect(es.html).toContain(escapeHtml(ORGANISATION.postalAddress));
    expect(es.text).toContain(`Cancelar la suscripción: ${LINKS.unsubscribe}`);
    expect(es.html).toContain('15,000 de 62,500');
    const en = personalise(await renderBulletin(example, 'en', context), ANA, LINKS);
    expect(en.html).toContain('15,000 of 62,500');
  });

  it('pads the hidden preheader so the inbox shows nothing after it, hidden without a colour trick', async () => {
    const message = personalise(await renderBulletin(example, 'en', context), ANA, LINKS);
    const teaser = escapeHtml(example.preheader!.en!);
    const element = new RegExp(
      `<div class="preheader" style="([^"]*)">${escapeRegExp(teaser)}((?:&#847;&zwnj;&nbsp;)+)</div>`,
    );
    const [, style, padding] = element.exec(message.html) ?? [];
    expect(padding!.length / '&#847;&zwnj;&nbsp;'.length).toBeGreaterThanOrEqual(100);
    // The first thing in the body: nothing visible comes before the teaser.
    expect(message.html.indexOf(teaser)).toBeLessThan(message.html.indexOf('View this email in your browser'));
    expect(style).toMatch(/display: ?none/);
    expect(style).toMatch(/mso-hide: ?all/);
    // Text coloured like its background costs SpamAssassin's HTML_FONT_LOW_CONTRAST.
    expect(style).not.toMatch(/(^|;)\s*(color|background(-color)?)\s*:/);
    // The plain-text part has no preheader, and none of its padding.
    expect(message.text).not.toMatch(/\u034f|\u200c|&#847;|&zwnj;/);

    const none = personalise(await renderBulletin({ ...example, preheader: undefined }, 'en', context), ANA, LINKS);
    expect(none.html).not.toContain('class="preheader"');
    expect(none.html).not.toContain('&#847;');
  });

  it('shows the issue line under the organisation, in the HTML and the text part, only when there is one', async () => {
    const issueLine = { en: 'Issue 12 · 4 December 2026', es: 'Número 12 · 4 de diciembre de 2026' };
    const withLine = { ...example, issueLine };
    for (const language of ['en', 'es'] as const) {
      const { html, text } = personalise(await renderBulletin(withLine, language, context), ANA, LINKS);
      const line = escapeHtml(issueLine[language]);
      expect(html, language).toMatch(new RegExp(`</h1>\\s*<p class="issue-line"[^>]*>${escapeRegExp(line)}</p>`));
      expect(text, language).toContain(`${ORGANISATION.organisationName.toUpperCase()}\n${issueLine[language]}\n`);
    }
    // Like every localised text, a language without its own line gets the fallback language's.
    const englishOnly = { ...example, issueLine: { en: issueLine.en } };
    expect(personalise(await renderBulletin(englishOnly, 'es', context), ANA, LINKS).html).toContain(issueLine.en);

    for (const none of [
      { ...example, issueLine: undefined },
      { ...example, issueLine: { en: ' ', es: '' } },
    ]) {
      const { html, text } = personalise(await renderBulletin(none, 'es', context), ANA, LINKS);
      expect(html).not.toContain('issue-line');
      expect(text).toContain(`${ORGANISATION.organisationName.toUpperCase()}\n\n`);
    }
  });

  it('writes Arabic, Persian, Urdu, Hebrew and Pashto right to left in any region, others left to right', async () => {
    const languages = ['ar-EG', 'fa', 'ur', 'he', 'ps', 'en', 'es', 'fr-CA'];
    const text = Object.fromEntries(languages.map((l) => [l, `Text ${l}`]));
    const multi = doc([{ type: 'text', body: text }], { languages, subject: text });
    for (const language of languages) {
      const { html } = personalise(await renderBulletin(multi, language, context), ANA, LINKS);
      const dir = ['en', 'es', 'fr-CA'].includes(language) ? 'ltr' : 'rtl';
      expect(html, language).toMatch(new RegExp(`<html lang="${language}" dir="${dir}"`));
      // The wrapper around the whole body, which clients that drop <html> still keep.
      expect(html, language).toMatch(new RegExp(`<body[^>]*>\\s*<div[^>]* dir="${dir}"`));
      // MJML sets the direction of each section and column, and aligns each text, itself.
      expect(html, language).not.toContain(dir === 'rtl' ? 'direction:ltr' : 'direction:rtl');
      expect(html, language).toContain(dir === 'rtl' ? 'text-align:right' : 'text-align:left');
    }
  });

  it("mirrors the quote's rule, a list's indent and a link line's arrow in a right-to-left language", async () => {
    const text = (ar: string, en: string) => ({ ar, en });
    const blocks: Block[] = [
      {
        type: 'statement',
        quote: text('اللجوء حق', 'Asylum is a right'),
        speaker: 'Alma',
        link: { href: 'https://nnirr.org/a', label: text('اقرأ المزيد', 'Read more') },
      },
      { type: 'text', body: text('- أولا\n- ثانيا', '- first\n- second') },
    ];
    const both = doc(blocks, { languages: ['ar', 'en'], subject: text('نشرة', 'Bulletin') });
    const ar = personalise(await renderBulletin(both, 'ar', context), ANA, LINKS).html;
    const en = personalise(await renderBulletin(both, 'en', context), ANA, LINKS).html;
    const quote = (html: string) => /<blockquote style="([^"]*)"/.exec(html)![1]!;
    expect(quote(ar)).toMatch(/border-right: ?4px solid/);
    expect(quote(ar)).toMatch(/padding-right: ?20px/);
    expect(quote(ar)).not.toMatch(/border-left|padding-left/);
    expect(quote(en)).toMatch(/border-left: ?4px solid/);
    expect(quote(en)).not.toMatch(/border-right|padding-right/);
    expect(ar).toMatch(/\.body-text ul, \.body-text ol \{[^}]*padding-right: 22px/);
    expect(en).toMatch(/\.body-text ul, \.body-text ol \{[^}]*padding-left: 22px/);
    expect(ar).toContain('<span aria-hidden="true">←</span>');
    expect(ar).not.toContain('→');
    expect(en).toContain('<span aria-hidden="true">→</span>');
  });

  it('shows the logo, named by its alt text, in the heading when settings give one, and has a dark mode', async () => {
    const settings = { ...ORGANISATION, logoUrl: 'https://nnirr.org/logo.png' };
    const { html } = personalise(await renderBulletin(example, 'en', { settings }), ANA, LINKS);
    expect(html).toMatch(
      /<h1[^>]*><img src="https:\/\/nnirr\.org\/logo\.png" alt="National Network for Immigrant and Refugee Rights"/,
    );
    expect(html).toContain('prefers-color-scheme: dark');
    expect(html).not.toMatch(/googleapis|fonts\.g/); // no font request tells a third party the mail was opened
    // without a topic the footer still says why the reader gets the mail
    expect(html).toContain('you subscribed to news from National Network for Immigrant and Refugee Rights');
  });

  it('keeps headings in order, and gives every image its alt text', async () => {
    const withImage = doc([
      {
        type: 'image',
        src: 'https://nnirr.org/map.png',
        alt: { en: 'Map of border services', es: 'Mapa de servicios' },
      },
      ...example.blocks,
    ]);
    const { html } = personalise(await renderBulletin(withImage, 'en', context), ANA, LINKS);
    const levels = [...html.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    for (const [i, level] of levels.entries()) if (i > 0) expect(level - levels[i - 1]!).toBeLessThanOrEqual(1);
    for (const img of html.match(/<img[^>]*>/g)!) expect(img).toMatch(/alt="[^"]+"/);
  });

  it("writes an image's alt text, shown when images are off, in the mail's font, size and ink", async () => {
    const announcement = example.blocks.find((b) => b.type === 'announcement')!;
    const pictures = doc([
      { type: 'image', src: 'https://nnirr.org/map.png', alt: { en: 'Map of border services' } },
      { ...announcement, image: { src: 'https://nnirr.org/vigil.png', alt: { en: 'A vigil at night' } } },
    ]);
    const { html } = personalise(await renderBulletin(pictures, 'en', context), ANA, LINKS);
    const images = html.match(/<img [^>]*>/g)!;
    expect(images).toHaveLength(2);
    for (const img of images) {
      const style = /style="([^"]*)"/.exec(img)![1]!;
      expect(style).toMatch(/font-family: ?-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif/);
      expect(style).toMatch(/font-size: ?16px/);
      expect(style).toMatch(/line-height: ?1\.5/);
      expect(style).toMatch(/(^|;)\s*color: ?#1d1b19/);
    }
    // In dark mode the alt text turns light with the rest of the text on the paper.
    expect(html).toMatch(/\.paper img[^{]*\{ color: #f1ece6 !important/);
  });

  it('keeps placeholders through MJML in hrefs and fills them per reader, URL-encoded', async () => {
    const petition = doc([
      {
        type: 'call_to_action',
        heading: { en: 'Sign, {{first_name}}' },
        body: { en: 'Read [your page](https://nnirr.org/p?who={{email}}).' },
        button: { href: 'https://nnirr.org/sign?email={{email}}&name={{first_name}}', label: { en: 'Sign' } },
      },
    ]);
    const compiled = await renderBulletin(petition, 'en', context);
    const message = personalise(compiled, { ...ANA, email: 'ana+x@example.org', name: 'Ana María' }, LINKS);
    expect(message.html).toContain('href="https://nnirr.org/sign?email=ana%2Bx%40example.org&amp;name=Ana"');
    expect(message.html).toContain('href="https://nnirr.org/p?who=ana%2Bx%40example.org"');
    expect(message.html).toContain(`href="${LINKS.unsubscribe}"`);
    expect(message.html).toContain(`href="${LINKS.preferences}"`);
    expect(message.html).toContain(`href="${LINKS.view}"`);
    expect(message.html).not.toContain('{{');
    expect(message.text).toContain('https://nnirr.org/sign?email=ana+x@example.org&name=Ana');
    expect(message.text).not.toContain('{{');
  });

  it('uses the fallback of a merge field when the reader has no name', async () => {
    const compiled = await renderBulletin(
      doc([{ type: 'text', body: { en: 'Dear {{first_name|friend}},' } }]),
      'en',
      context,
    );
    const message = personalise(compiled, { ...ANA, name: '' }, LINKS);
    expect(message.subject).toBe('Hello friend');
    expect(message.html).toContain('Dear friend,');
    expect(message.text).toContain('Dear friend,');
  });

  it('makes Markdown with scripts, javascript: links and event handlers inert', async () => {
    const hostile = doc([
      {
        type: 'text',
        body: {
          en:
            'Hi <script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> ' +
            '<a href="data:text/html,x" onclick="alert(4)">d</a> **ok**',
        },
      },
    ]);
    const message = personalise(await renderBulletin(hostile, 'en', context), ANA, LINKS);
    for (const part of [message.html, message.text]) {
      expect(part).not.toMatch(/<script|javascript:|onerror|onclick|data:text/i);
    }
    expect(message.html).toContain('<strong>ok</strong>');
    expect(message.text).toContain('click');
  });

  it('escapes a reader named <b>&"\' wherever the name appears', async () => {
    const compiled = await renderBulletin(
      doc([{ type: 'text', body: { en: 'Hi {{first_name}}, see [you](https://x.org/?n={{first_name}})' } }]),
      'en',
      context,
    );
    const message = personalise(compiled, { ...ANA, name: `<b>&"'` }, LINKS);
    expect(message.html).toContain('Hi &lt;b&gt;&amp;&quot;&#39;,');
    expect(message.html).toContain('href="https://x.org/?n=%3Cb%3E%26%22&#39;"');
    expect(message.html).not.toContain(`<b>&"'`);
  });

  it('never lets CR or LF from a value reach the subject or a header', async () => {
    const compiled = await renderBulletin(doc([]), 'en', context);
    const message = personalise(
      compiled,
      { ...ANA, name: 'Ana\r\nBcc: victim@example.org' },
      { ...LINKS, unsubscribe: 'https://x.org/u/a\r\nX-Injected: 1' },
    );
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.subject).toBe('Hello Ana');
    for (const value of Object.values(message.headers)) expect(value).not.toMatch(/[\r\n]/);
    expect(message.headers).toEqual({
      'List-Unsubscribe': '<https://x.org/u/aX-Injected: 1>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it("signs each reader's unsubscribe link for them and the campaign, and views the campaign in the archive", () => {
    const signer = new LinkSigner('k'.repeat(32));
    const links = recipientLinks(signer, 'https://news.example.org', {
      subscriberId: 7,
      campaignId: 3,
      language: 'es',
      inArchive: true,
    });
    const token = (url: string) => url.split('/').at(-1)!;
    expect(links.unsubscribe).toMatch(/^https:\/\/news\.example\.org\/unsubscribe\//);
    expect(signer.verify('unsubscribe', token(links.unsubscribe))).toBe('7:3');
    expect(signer.verify('preferences', token(links.preferences))).toBe('7');
    expect(signer.verify('preferences', token(links.unsubscribe))).toBeNull();
    expect(links.view).toBe('https://news.example.org/archive/3?lang=es');
  });

  it('views a campaign not published in the archive as the archive list: it has no page there', () => {
    const signer = new LinkSigner('k'.repeat(32));
    for (const inArchive of [false, undefined])
      expect(
        recipientLinks(signer, 'https://news.example.org', {
          subscriberId: 7,
          campaignId: 3,
          language: 'es',
          inArchive,
        }).view,
      ).toBe('https://news.example.org/archive');
  });

  it("writes the organisation's wording in the footer, escaped, in the HTML and the text", async () => {
    const wording = {
      es: {
        footer: { unsubscribe: 'Salir <ya>', whyTopic: 'Lista «{topic}» & {organisation}' },
        bulletin: { progress: '{current} / {target}' },
      },
    };
    const own = { ...context, settings: { ...ORGANISATION, wording } };
    const es = personalise(await renderBulletin(example, 'es', own), ANA, LINKS);
    expect(es.html).toContain('>Salir &lt;ya&gt;</a>');
    expect(es.html).toContain(
      `Lista «<strong>Boletín semanal</strong>» &amp; ${escapeHtml(ORGANISATION.organisationName)}`,
    );
    expect(es.text).toContain(`Salir <ya>: ${LINKS.unsubscribe}`);
    expect(es.text).toContain(`Lista «Boletín semanal» & ${ORGANISATION.organisationName}`);
    // The numbers in the locale of Spanish in the settings: es-US unless told.
    expect(es.html).toContain('15,000 / 62,500');
    expect(es.text).toContain('15,000 / 62,500');
    const en = personalise(await renderBulletin(example, 'en', own), ANA, LINKS);
    expect(en.html).not.toContain('Salir');
  });

  it('keeps button labels, the masthead and links at 4.5:1 or more on a light brand colour', async () => {
    const yellow = { settings: { ...ORGANISATION, brandColor: '#f2b705' } };
    const { html } = personalise(await renderBulletin(example, 'en', yellow), ANA, LINKS);
    const buttons = [...html.matchAll(/bgcolor="(#\w{6})"[^>]*>\s*<a [^>]*?[^-]color: ?(#\w{6})/g)];
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    for (const [, background, label] of buttons) expect(contrast(label!, background!)).toBeGreaterThanOrEqual(4.5);
    const [, masthead] = html.match(/class="masthead" style="background:(#\w{6})/)!;
    const [, title] = html.match(/<h1[^>]* style="[^"]*[^-]color: ?(#\w{6})/)!;
    const [, issue] = html.match(/<p class="issue-line" style="[^"]*[^-]color: ?(#\w{6})/)!;
    for (const colour of [title!, issue!]) expect(contrast(colour, masthead!)).toBeGreaterThanOrEqual(4.5);
    // The paper: from below the masthead to the footer, buttons left out.
    const paper = html
      .slice(html.indexOf('class="paper"'), html.lastIndexOf('class="footer"'))
      .replace(/<td[^>]*bgcolor[\s\S]*?<\/td>/g, '');
    const texts = [...paper.matchAll(/<(?:a|p) [^>]*style="(?:[^"]*[^-])?color: ?(#\w{6})/g)].map(
      ([, colour]) => colour!,
    );
    expect(texts).toContain('#916e03');
    for (const colour of texts) expect(contrast(colour, '#ffffff'), colour).toBeGreaterThanOrEqual(4.5);
  });

  it('hides the decorative arrow of link lines from screen readers, and leaves it out of the text part', async () => {
    const { html, text } = personalise(await renderBulletin(example, 'en', context), ANA, LINKS);
    const arrows = html.match(/→/g) ?? [];
    expect(arrows.length).toBeGreaterThan(0);
    expect(html.match(/<span aria-hidden="true">→<\/span>/g)).toHaveLength(arrows.length);
    expect(text).not.toContain('→');
  });

  it('declares light and dark colour schemes to mail clients', async () => {
    const { html } = personalise(await renderBulletin(example, 'en', context), ANA, LINKS);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<meta name="supported-color-schemes" content="light dark">');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
