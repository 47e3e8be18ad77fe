// The goal of a call to action in the mail: a progress bar only where there is a count and a
// target above 0, so a draft's target of 0 never puts "NaN%" or "Infinity%" into a mail.
import { describe, expect, it } from 'vitest';
import { goalPercent } from '../../src/render/theme.js';
import { goalLine } from '../../src/render/strings.js';
import { formattingLocale } from '../../src/settings/settings.js';
import { wordsFor } from '../../src/words/catalogue.js';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { personalise } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import { ORGANISATION } from '../helpers/bulletins.js';

const context = { settings: ORGANISATION, topicName: undefined };
/** A bulletin with one call to action whose goal is `goal`, read as the API reads it. */
const withGoal = (goal: Record<string, unknown>) =>
  BulletinDocument.parse({
    version: 1,
    title: 't',
    languages: ['en'],
    subject: { en: 'Sign' },
    blocks: [
      {
        type: 'call_to_action',
        heading: { en: 'Sign' },
        body: { en: 'Now' },
        button: { href: 'https://example.org', label: { en: 'Sign' } },
        goal,
      },
    ],
  });

const READER = { subscriberId: 1, email: 'ana@example.org', name: 'Ana' };
const LINKS = {
  unsubscribe: 'https://news.example.org/u/t',
  preferences: 'https://news.example.org/p/t',
  view: 'https://news.example.org/v/t',
};

/** The mail as a reader gets it, for a bulletin whose call to action has `goal`. */
const mail = async (goal: Record<string, unknown>) =>
  personalise(await renderBulletin(withGoal({ ...goal, unit: { en: 'signatures' } }), 'en', context), READER, LINKS);

/** The progress bar's cells, as [width in %, colour]. */
const barCells = (html: string) => {
  const bar = html.match(/<table role="img"[^>]*>.*?<\/table>/s)?.[0] ?? '';
  return [...bar.matchAll(/<td width="(\d+)%" height="10" bgcolor="(#\w+)"/g)].map((m) => [m[1], m[2]]);
};

describe('the goal of a call to action', () => {
  it('is a share of the target from 0 to 100', () => {
    expect(goalPercent({ target: 1000, current: 250 })).toBe(25);
    expect(goalPercent({ target: 3, current: 1 })).toBe(33);
    expect(goalPercent({ target: 100, current: 150 })).toBe(100);
    expect(goalPercent({ target: 100, current: -5 })).toBe(0);
  });

  it('has no share without a count or with a target that is not above 0', () => {
    for (const g of [
      { target: 100 },
      { target: 0, current: 0 },
      { target: 0, current: 12 },
      { target: -10, current: 5 },
      { target: Number.NaN, current: 1 },
      { target: 10, current: Number.NaN },
    ]) {
      expect(goalPercent(g), JSON.stringify(g)).toBeUndefined();
    }
  });

  it('draws the bar as a table of coloured cells, which Outlook for Windows shows', async () => {
    const { html } = await mail({ target: 62500, current: 15000 });
    expect(html).toContain('<table role="img" aria-label="15,000 of 62,500 signatures"');
    expect(barCells(html)).toEqual([
      ['24', ORGANISATION.brandColor],
      ['76', '#ebe5dc'],
    ]);
    expect(html).not.toMatch(/<div[^>]*width:24%/);
  });

  it("writes the numbers in the locale the settings give the mail's language: es-US unless told", async () => {
    const doc = withGoal({ target: 62500, current: 15000, unit: { en: 'signatures', es: 'firmas' } });
    const es = { ...doc, languages: ['en', 'es'], subject: { en: 'Sign', es: 'Firma' } };
    const inUs = personalise(await renderBulletin(es, 'es', context), READER, LINKS);
    expect(inUs.html).toContain('aria-label="15,000 de 62,500 firmas"');
    expect(inUs.text).toContain('15,000 de 62,500 firmas');
    const spain = { settings: { ...ORGANISATION, locales: { ...ORGANISATION.locales, es: 'es-ES' } } };
    const inSpain = personalise(await renderBulletin(es, 'es', spain), READER, LINKS);
    expect(inSpain.html).toContain('aria-label="15.000 de 62.500 firmas"');
    expect(inSpain.text).toContain('15.000 de 62.500 firmas');
  });

  it("reads a goal's line in the language's words and the locale's numbers", () => {
    const g = { target: 62500, current: 15000 };
    const spanish = wordsFor('es', ORGANISATION).bulletin;
    expect(goalLine(g, 'firmas', spanish, 'es-US')).toBe('15,000 de 62,500 firmas');
    expect(goalLine(g, 'firmas', spanish, 'es-ES')).toBe('15.000 de 62.500 firmas');
    expect(goalLine({ target: 2500 }, 'firmas', spanish, 'es-ES')).toBe('Meta: 2.500 firmas');
    // A language without a locale in the settings writes its numbers its own way.
    const german = formattingLocale(ORGANISATION, 'de');
    expect(goalLine(g, 'signatures', wordsFor('de', ORGANISATION).bulletin, german)).toBe(
      '15.000 of 62.500 signatures',
    );
  });

  it('leaves out the empty cell at 0 and at 100', async () => {
    for (const [current, colour] of [
      [0, '#ebe5dc'],
      [62500, ORGANISATION.brandColor],
      [90000, ORGANISATION.brandColor],
    ] as const) {
      const { html } = await mail({ target: 62500, current });
      expect(barCells(html), String(current)).toEqual([['100', colour]]);
      expect(html, String(current)).not.toContain('width="0%"');
    }
  });

  it('draws no bar for a target of 0 or left out', async () => {
    for (const goal of [{ target: 0, current: 0 }, { target: 0, current: 40 }, { current: 0 }, {}]) {
      const { html, text } = await mail(goal);
      expect(html, JSON.stringify(goal)).not.toMatch(/NaN|Infinity|role="img" aria-label="\d+%"/);
      expect(text, JSON.stringify(goal)).not.toMatch(/NaN|Infinity/);
      expect(html, JSON.stringify(goal)).toContain('signatures');
    }
  });
});
