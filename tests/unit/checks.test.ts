import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { checkBulletin, GMAIL_CLIP_BYTES, NEAR_CLIP_BYTES, type Finding } from '../../src/render/checks.js';
import { renderBulletin, type CompiledBulletin } from '../../src/render/render.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';
import { ORGANISATION, exampleBulletin } from '../helpers/bulletins.js';

const topicName = { en: 'Weekly bulletin', es: 'Boletín semanal' };

async function check(
  doc: BulletinDocument,
  settings = ORGANISATION,
  withTopic = true,
  publicUrl = 'https://news.example.org',
): Promise<Finding[]> {
  const context = { settings, ...(withTopic ? { topicName } : {}) };
  const rendered = await Promise.all(doc.languages.map((l) => renderBulletin(doc, l, context)));
  return checkBulletin(doc, context, rendered, { publicUrl });
}

describe('pre-send checks', () => {
  it('find nothing wrong with the example bulletin', async () => {
    expect(await check(exampleBulletin())).toEqual([]);
  });

  it('find nothing wrong with the second example, examples/border-survey-mutual-aid.json', async () => {
    const file = new URL('../../examples/border-survey-mutual-aid.json', import.meta.url);
    expect(await check(BulletinDocument.parse(JSON.parse(readFileSync(file, 'utf8'))))).toEqual([]);
  });

  it('fire each on a document made to trip it, naming language, block and field', async () => {
    const tripping: BulletinDocument = {
      version: 1,
      title: 'Everything wrong',
      languages: ['en', 'es'],
      subject: { en: 'A subject that goes on and on well past the seventy-eight characters an inbox shows' },
      topic: 'no-such-topic',
      blocks: [
        { type: 'text', body: { en: 'Hello {{firstname}}', es: 'Hola' } },
        { type: 'image', src: 'https://nnirr.org/a.png', alt: {} },
        { type: 'text', body: { en: '[empty]() [plain](http://nnirr.org) [evil](javascript:alert(1))', es: 'x' } },
      ],
    };
    const findings = await check(tripping, DEFAULT_SETTINGS, false);
    const by = (code: string) => findings.filter((f) => f.code === code);

    expect(by('untranslated')).toContainEqual({
      level: 'warning',
      code: 'untranslated',
      message: expect.any(String),
      language: 'es',
      field: 'subject',
    });
    expect(by('unknown_merge_field')).toEqual([
      {
        level: 'error',
        code: 'unknown_merge_field',
        message: 'blocks[0].body: unknown merge field {{firstname}}',
        language: 'en',
        block: 0,
        field: 'blocks[0].body',
      },
    ]);
    expect(by('missing_alt').map((f) => [f.level, f.language, f.block, f.field])).toEqual([
      ['error', 'en', 1, 'blocks[1].alt'],
      ['error', 'es', 1, 'blocks[1].alt'],
    ]);
    expect(by('empty_link')).toMatchObject([{ level: 'error', language: 'en', block: 2, field: 'blocks[2].body' }]);
    expect(by('insecure_link')).toMatchObject([{ level: 'warning', language: 'en', block: 2 }]);
    expect(by('unsafe_link')).toMatchObject([{ level: 'error', language: 'en', block: 2 }]);
    expect(by('subject_too_long')).toMatchObject([
      { level: 'warning', language: 'en' },
      { level: 'warning', language: 'es' },
    ]);
    expect(by('no_postal_address')).toMatchObject([{ level: 'error' }]);
    expect(by('unknown_topic')).toMatchObject([{ level: 'error', field: 'topic' }]);
  });

  it('measure a subject with each merge field at its fallback, as a reader without one gets it', async () => {
    const subject = (en: string): BulletinDocument => ({ ...exampleBulletin(), languages: ['en'], subject: { en } });
    // 82 characters as typed, 67 in the inbox: under the limit.
    const personal = '{{first_name|friend}}, sign the petition for refugees before Biden reaches day 100';
    expect([...personal].length).toBe(82);
    expect((await check(subject(personal))).filter((f) => f.code === 'subject_too_long')).toEqual([]);
    // 79 characters in the inbox: over it, and the message gives that length.
    const long = `{{first_name|friend}}, ${'x'.repeat(71)}`;
    expect((await check(subject(long))).filter((f) => f.code === 'subject_too_long')).toMatchObject([
      { level: 'warning', language: 'en', message: expect.stringContaining('79 characters') },
    ]);
  });

  it('report an empty subject and a missing fallback text as errors', async () => {
    const findings = await check({
      version: 1,
      title: 't',
      languages: ['en', 'es'],
      subject: { es: ' ' },
      blocks: [{ type: 'text', body: { es: 'solo español' } }],
    });
    expect(findings.filter((f) => f.code === 'subject_empty').map((f) => f.language)).toEqual(['en', 'es']);
    expect(findings).toContainEqual(
      expect.objectContaining({
        level: 'error',
        code: 'untranslated',
        language: 'en',
        block: 0,
        field: 'blocks[0].body',
      }),
    );
  });

  it('name each field of an unfinished draft that must be filled in or mended before sending', async () => {
    // What the composer saves while staff are half-way: the schema takes it, the checks stop the send.
    const draft = BulletinDocument.parse({
      version: 1,
      languages: ['en', 'es'],
      subject: { en: 'Weekly', es: 'Semanal' },
      blocks: [
        { type: 'statement', quote: { en: 'We will not be silent.', es: 'No callaremos.' } },
        {
          type: 'call_to_action',
          heading: { en: 'Sign', es: 'Firma' },
          body: { en: 'Now', es: 'Ya' },
          goal: { target: 0 },
        },
        {
          type: 'text',
          body: {
            en: 'Read [the report](https://) and [this](nnirr.org/x).',
            es: 'Lee [el informe](https://nnirr.org/informe).',
          },
        },
        { type: 'image', src: 'https://link', alt: { en: 'A march', es: 'Una marcha' }, href: 'http://nnirr.org' },
        {
          type: 'survey',
          heading: { en: 'Survey', es: 'Encuesta' },
          body: { en: 'Answer', es: 'Responde' },
          contact: 'maria@',
          hashtags: ['#ok', '#not ok'],
        },
      ],
    });
    const findings = await check(draft);
    const errors = findings
      .filter((f) => f.level === 'error')
      .map(({ code, field, language }) => [code, field, language]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['missing_field', 'title', undefined],
        ['missing_field', 'blocks[0].speaker', undefined],
        ['empty_link', 'blocks[1].button.href', undefined],
        ['untranslated', 'blocks[1].button.label', 'en'],
        ['untranslated', 'blocks[1].button.label', 'es'],
        ['invalid_field', 'blocks[1].goal.target', undefined],
        ['incomplete_link', 'blocks[2].body', 'en'],
        ['incomplete_link', 'blocks[2].body', 'en'],
        ['incomplete_link', 'blocks[3].src', undefined],
        ['insecure_link', 'blocks[3].href', undefined],
        ['invalid_field', 'blocks[4].contact', undefined],
        ['invalid_field', 'blocks[4].hashtags[1]', undefined],
      ]),
    );
    expect(errors).toHaveLength(12);
    expect(findings.find((f) => f.field === 'blocks[2].body')!.message).toBe(
      'blocks[2].body: “https://” has no address after https://; it is still a placeholder',
    );
  });

  it('speak of languages by name, not code', async () => {
    const findings = await check({
      version: 1,
      title: 't',
      languages: ['en', 'es'],
      subject: { en: 's' },
      blocks: [
        { type: 'text', body: { es: 'hola' } },
        { type: 'text', body: { en: 'hi' } },
      ],
    });
    expect(findings.filter((f) => f.code === 'untranslated').map((f) => f.message)).toEqual([
      'subject: no Spanish text; Spanish readers get the English text',
      'blocks[0].body: empty in English, the fallback language',
      'blocks[1].body: no Spanish text; Spanish readers get the English text',
    ]);
  });

  it('warn in each language when the preheader is missing or blank, naming the field; not when present', async () => {
    const { preheader, ...withoutPreheader } = exampleBulletin();
    for (const missing of [withoutPreheader, { ...withoutPreheader, preheader: { en: ' ', es: '' } }]) {
      expect(await check(missing)).toEqual([
        {
          level: 'warning',
          code: 'missing_preheader',
          message:
            'preheader: empty; inboxes show “View this email in your browser” and ' +
            'National Network for Immigrant and Refugee Rights after the subject instead of a teaser',
          language: 'en',
          field: 'preheader',
        },
        expect.objectContaining({ level: 'warning', code: 'missing_preheader', language: 'es', field: 'preheader' }),
      ]);
    }
    // In English only, Spanish readers get the English teaser: a translation missing, not a preheader.
    const englishOnly = { ...withoutPreheader, preheader: { en: preheader!.en! } };
    expect((await check(englishOnly)).map((f) => f.code)).toEqual(['untranslated']);
    expect(await check({ ...withoutPreheader, preheader })).toEqual([]);
  });

  it('check an issue line like any text, and find nothing when it is left out or blank', async () => {
    const { issueLine, ...without } = exampleBulletin();
    expect(await check(without)).toEqual([]);
    expect(await check({ ...without, issueLine: { en: '', es: ' ' } })).toEqual([]);
    expect(await check({ ...without, issueLine: { en: issueLine!.en! } })).toEqual([
      expect.objectContaining({ level: 'warning', code: 'untranslated', language: 'es', field: 'issueLine' }),
    ]);
    expect(await check({ ...without, issueLine: { ...issueLine, es: 'Número {{issue}}' } })).toEqual([
      expect.objectContaining({ level: 'error', code: 'unknown_merge_field', language: 'es', field: 'issueLine' }),
    ]);
  });

  it('warn while PUBLIC_URL is not https, since every unsubscribe link starts with it', async () => {
    const insecure = await check(exampleBulletin(), ORGANISATION, true, 'http://localhost:3000');
    expect(insecure).toEqual([expect.objectContaining({ level: 'warning', code: 'insecure_public_url' })]);
    expect(insecure[0]!.message).toContain('http://localhost:3000');
  });

  it('warn when the brand colour does not read at 4.5:1, naming each pair, its ratio and what is used', async () => {
    const findings = await check(exampleBulletin(), { ...ORGANISATION, brandColor: '#f2b705' });
    expect(findings).toEqual([
      expect.objectContaining({ level: 'warning', code: 'low_contrast', field: 'brandColor' }),
    ]);
    expect(findings[0]!.message).toBe(
      'Brand colour: white on #f2b705 is 1.82:1, so buttons use #1d1b19 on #f2b705 (9.44:1); ' +
        '#f2b705 on white is 1.82:1, so links use #916e03 (4.73:1); text needs 4.5:1',
    );
    const red = await check(exampleBulletin(), { ...ORGANISATION, brandColor: '#ff0000' });
    expect(red[0]!.message).toBe(
      'Brand colour: white on #ff0000 is 4.00:1, so buttons use #ffffff on #e50000 (4.85:1); ' +
        '#ff0000 on white is 4.00:1, so links use #e50000 (4.85:1); text needs 4.5:1',
    );
  });

  it("warn when the HTML is past Gmail's 102 KB clip", async () => {
    const long = 'A sentence about the border survey that goes on. '.repeat(2400);
    const findings = await check({
      version: 1,
      title: 't',
      languages: ['en'],
      subject: { en: 's' },
      blocks: [{ type: 'text', body: { en: long } }],
    });
    expect(findings).toContainEqual(
      expect.objectContaining({ level: 'warning', code: 'html_too_large', language: 'en' }),
    );
  });

  it("warn, naming the language and the size, when the HTML nears Gmail's clip", async () => {
    const sentence = 'Una frase sobre la encuesta de la frontera que sigue y sigue. ';
    const bulletin = (body: string): BulletinDocument => ({
      version: 1,
      title: 't',
      languages: ['es'],
      subject: { es: 's' },
      preheader: { es: 'p' },
      blocks: [{ type: 'text', body: { es: body } }],
    });
    // Filled to 96 KB whatever the theme's own share of the HTML.
    const empty = await renderBulletin(bulletin('x'), 'es', { settings: ORGANISATION, topicName });
    const near = bulletin(sentence.repeat(Math.floor((96 * 1024 - empty.htmlBytes) / sentence.length)));
    const findings = await check(near);
    const { htmlBytes } = await renderBulletin(near, 'es', { settings: ORGANISATION, topicName });
    expect(htmlBytes).toBeGreaterThan(NEAR_CLIP_BYTES);
    expect(htmlBytes).toBeLessThanOrEqual(GMAIL_CLIP_BYTES);
    expect(findings).toEqual([
      {
        level: 'warning',
        code: 'html_near_limit',
        message:
          `The Spanish HTML is ${(htmlBytes / 1024).toFixed(1)} KB, near Gmail's 102 KB clip: ` +
          'past it, Gmail hides the rest of the mail, footer and unsubscribe link included',
        language: 'es',
      },
    ]);
    expect(await check(bulletin(sentence.repeat(100)))).toEqual([]);
  });

  it('report MJML validation problems as errors', async () => {
    const compiled: CompiledBulletin = {
      ...(await renderBulletin(exampleBulletin(), 'en', { settings: ORGANISATION, topicName })),
      mjmlProblems: [{ line: 3, tag: 'mj-text', message: 'Attribute colour is illegal' }],
    };
    expect(checkBulletin(exampleBulletin(), { settings: ORGANISATION, topicName }, [compiled])).toEqual([
      {
        level: 'error',
        code: 'mjml_invalid',
        message: 'MJML: Attribute colour is illegal (line 3, <mj-text>)',
        language: 'en',
      },
    ]);
  });

  it("warn on a block shown to nobody and on a tag nobody has, from the database's facts", async () => {
    const doc = exampleBulletin();
    doc.blocks[0] = { ...doc.blocks[0]!, audience: { any: [{ tag: 'donr' }, { not: { tag: 'donr' } }] } };
    doc.blocks[2] = { ...doc.blocks[2]!, audience: { all: [{ tag: 'press' }, { language: ['fr'] }] } };
    const context = { settings: ORGANISATION, topicName };
    const rendered = await Promise.all(doc.languages.map((l) => renderBulletin(doc, l, context)));
    const blockAudiences = {
      reach: [
        { index: 0, shown: 12 },
        { index: 2, shown: 0 },
      ],
      unknownTags: ['donr'],
    };
    const findings = checkBulletin(doc, context, rendered, { blockAudiences });
    expect(findings.filter((f) => f.code === 'block_shown_to_nobody' || f.code === 'unknown_tag')).toEqual([
      {
        level: 'warning',
        code: 'unknown_tag',
        message: 'blocks[0].audience: no subscriber has the tag “donr”',
        block: 0,
        field: 'blocks[0].audience',
      },
      {
        level: 'warning',
        code: 'block_shown_to_nobody',
        message:
          `blocks[2].audience: shown to nobody: no subscriber of the topic “${doc.topic}” ` +
          'who can be mailed matches the block’s audience',
        block: 2,
        field: 'blocks[2].audience',
      },
    ]);
    // Without the facts (a renderer with no database), nothing is said of audiences.
    expect(checkBulletin(doc, context, rendered).some((f) => f.field?.endsWith('.audience'))).toBe(false);
  });
});
