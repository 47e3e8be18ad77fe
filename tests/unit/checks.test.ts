import { describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import { checkBulletin, type Finding } from '../../src/render/checks.js';
import { renderBulletin, type CompiledBulletin } from '../../src/render/render.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';
import { ORGANISATION, exampleBulletin } from '../helpers/bulletins.js';

const topicName = { en: 'Weekly bulletin', es: 'Boletín semanal' };

async function check(doc: BulletinDocument, settings = ORGANISATION, withTopic = true): Promise<Finding[]> {
  const context = { settings, ...(withTopic ? { topicName } : {}) };
  const rendered = await Promise.all(doc.languages.map((l) => renderBulletin(doc, l, context)));
  return checkBulletin(doc, context, rendered);
}

describe('pre-send checks', () => {
  it('find nothing wrong with the example bulletin', async () => {
    expect(await check(exampleBulletin())).toEqual([]);
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

    expect(by('untranslated')).toContainEqual({ level: 'warning', code: 'untranslated', message: expect.any(String), language: 'es', field: 'subject' });
    expect(by('unknown_merge_field')).toEqual([
      { level: 'error', code: 'unknown_merge_field', message: 'blocks[0].body: unknown merge field {{firstname}}', language: 'en', block: 0, field: 'blocks[0].body' },
    ]);
    expect(by('missing_alt').map((f) => [f.level, f.language, f.block, f.field])).toEqual([
      ['error', 'en', 1, 'blocks[1].alt'],
      ['error', 'es', 1, 'blocks[1].alt'],
    ]);
    expect(by('empty_link')).toMatchObject([{ level: 'error', language: 'en', block: 2, field: 'blocks[2].body' }]);
    expect(by('insecure_link')).toMatchObject([{ level: 'warning', language: 'en', block: 2 }]);
    expect(by('unsafe_link')).toMatchObject([{ level: 'error', language: 'en', block: 2 }]);
    expect(by('subject_too_long')).toMatchObject([{ level: 'warning', language: 'en' }, { level: 'warning', language: 'es' }]);
    expect(by('no_postal_address')).toMatchObject([{ level: 'error' }]);
    expect(by('unknown_topic')).toMatchObject([{ level: 'error', field: 'topic' }]);
  });

  it('report an empty subject and a missing fallback text as errors', async () => {
    const findings = await check({ version: 1, title: 't', languages: ['en', 'es'], subject: { es: ' ' }, blocks: [{ type: 'text', body: { es: 'solo español' } }] });
    expect(findings.filter((f) => f.code === 'subject_empty').map((f) => f.language)).toEqual(['en', 'es']);
    expect(findings).toContainEqual(expect.objectContaining({ level: 'error', code: 'untranslated', language: 'en', block: 0, field: 'blocks[0].body' }));
  });

  it('warn when the HTML is past Gmail\'s 102 KB clip', async () => {
    const long = 'A sentence about the border survey that goes on. '.repeat(2400);
    const findings = await check({ version: 1, title: 't', languages: ['en'], subject: { en: 's' }, blocks: [{ type: 'text', body: { en: long } }] });
    expect(findings).toContainEqual(expect.objectContaining({ level: 'warning', code: 'html_too_large', language: 'en' }));
  });

  it('report MJML validation problems as errors', async () => {
    const compiled: CompiledBulletin = {
      ...(await renderBulletin(exampleBulletin(), 'en', { settings: ORGANISATION, topicName })),
      mjmlProblems: [{ line: 3, tag: 'mj-text', message: 'Attribute colour is illegal' }],
    };
    expect(checkBulletin(exampleBulletin(), { settings: ORGANISATION, topicName }, [compiled])).toEqual([
      { level: 'error', code: 'mjml_invalid', message: 'MJML: Attribute colour is illegal (line 3, <mj-text>)', language: 'en' },
    ]);
  });
});
