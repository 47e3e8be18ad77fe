// Per-language links, images and hashtags: the document takes an address (or hashtags) for every
// language or one per language, each reader's mail carries their language's, and a pre-send check
// notices a translated block whose link still leads to the fallback language's page.
import { describe, expect, it } from 'vitest';
import { blockUrls } from '../../src/bulletins/block-fields.js';
import {
  addressIn,
  type Block,
  BulletinDocument,
  bulletinDocumentSchema,
  documentIn,
} from '../../src/bulletins/document.js';
import { formatPath } from '../../src/errors.js';
import { checkBulletin, type Finding } from '../../src/render/checks.js';
import { personalise, recipientLinks } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import { trackableLinks, withTrackedLinks } from '../../src/render/tracked-links.js';
import { LinkSigner } from '../../src/signed-links.js';
import { ORGANISATION } from '../helpers/bulletins.js';

const context = { settings: ORGANISATION };

type Schema = any;
type JsonSchemaOf<K extends string> = { properties: Record<K, { items: { oneOf?: Schema[]; anyOf?: Schema[] } }> };
const SHAPE = 'must be an address, or an address per language such as {"en": "https://…", "es": "https://…"}';
const PETITION = { en: 'https://nnirr.org/petition', es: 'https://nnirr.org/es/peticion' };

const cta = (href: unknown, label = { en: 'Sign the petition', es: 'Firma la petición' }) => ({
  type: 'call_to_action',
  heading: { en: 'Sign', es: 'Firma' },
  body: { en: 'Tell Congress.', es: 'Dígale al Congreso.' },
  button: { href, label },
});

function parse(blocks: unknown[], languages = ['en', 'es']): BulletinDocument {
  return BulletinDocument.parse({
    version: 1,
    title: 'Per-language links',
    languages,
    subject: { en: 'News', es: 'Noticias' },
    preheader: { en: 'This week', es: 'Esta semana' },
    blocks,
  });
}

async function findings(doc: BulletinDocument): Promise<Finding[]> {
  const rendered = await Promise.all(doc.languages.map((l) => renderBulletin(doc, l, context)));
  return checkBulletin(doc, context, rendered, { publicUrl: 'https://news.example.org' });
}

describe('per-language addresses in the document', () => {
  it('takes an address for every language or one per language, link, button, image and hashtags', () => {
    const doc = parse([
      cta(PETITION),
      cta('https://nnirr.org/petition'),
      {
        type: 'announcement',
        heading: { en: 'Vigil' },
        body: { en: 'Join us.' },
        image: { src: { en: ' https://nnirr.org/en.jpg ', es: 'https://nnirr.org/es.jpg' }, alt: { en: 'Candles' } },
        link: { href: { EN: 'https://nnirr.org/vigil' }, label: { en: 'More' } },
      },
      { type: 'image', src: 'https://nnirr.org/a.jpg', alt: { en: 'A' }, href: { es: 'https://nnirr.org/es' } },
      {
        type: 'survey',
        heading: { en: 'Survey' },
        body: { en: 'Tell us.' },
        hashtags: { en: ['#OurBorder'], es: ['#NuestraFrontera'] },
      },
    ]);
    expect((doc.blocks[0] as Extract<Block, { type: 'call_to_action' }>).button.href).toEqual(PETITION);
    expect((doc.blocks[1] as Extract<Block, { type: 'call_to_action' }>).button.href).toBe(
      'https://nnirr.org/petition',
    );
    const announcement = doc.blocks[2] as Extract<Block, { type: 'announcement' }>;
    // Trimmed, and keyed as every per-language value is: "EN" is "en".
    expect(announcement.image!.src).toEqual({ en: 'https://nnirr.org/en.jpg', es: 'https://nnirr.org/es.jpg' });
    expect(announcement.link!.href).toEqual({ en: 'https://nnirr.org/vigil' });
    expect((doc.blocks[4] as Extract<Block, { type: 'survey' }>).hashtags).toEqual({
      en: ['#OurBorder'],
      es: ['#NuestraFrontera'],
    });
  });

  it.each([
    [{ en: 'https://nnirr.org', es: 'javascript:alert(1)' }, 'blocks[0].button.href.es', 'must be an https URL'],
    [
      { en: 'https://nnirr.org', es: `https://nnirr.org/${'a'.repeat(2_000)}` },
      'blocks[0].button.href.es',
      'must be at most 2,000 characters',
    ],
    [{ en: 'https://nnirr.org', xx_1: 'https://nnirr.org/x' }, 'blocks[0].button.href.xx_1', undefined],
    [
      { en: 'https://nnirr.org', EN: 'https://nnirr.org/x' },
      'blocks[0].button.href.EN',
      'is the same language as "en"',
    ],
    [7, 'blocks[0].button.href', SHAPE],
    [{ en: 'https://nnirr.org', es: 7 }, 'blocks[0].button.href', SHAPE],
  ])('refuses %j, naming the path and language', (href, path, message) => {
    const result = BulletinDocument.safeParse({
      version: 1,
      languages: ['en', 'es'],
      blocks: [cta(href)],
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    expect(issues.map((i) => i.path)).toEqual([path]);
    if (message) expect(issues[0]!.message).toBe(message);
  });

  it('publishes both shapes in the JSON Schema', () => {
    const blocks = (bulletinDocumentSchema as unknown as JsonSchemaOf<'blocks'>).properties.blocks.items;
    const callToAction = (blocks.oneOf ?? blocks.anyOf)!.find((b) => b.properties.type.const === 'call_to_action')!;
    const survey = (blocks.oneOf ?? blocks.anyOf)!.find((b) => b.properties.type.const === 'survey')!;
    expect(callToAction.properties.button!.properties.href.anyOf.map((s: { type: string }) => s.type)).toEqual([
      'string',
      'object',
    ]);
    expect(survey.properties.hashtags!.anyOf.map((s: { type: string }) => s.type)).toEqual(['array', 'object']);
  });
});

describe('addressIn and documentIn', () => {
  it("read the language's address, else the fallback's, else nothing", () => {
    expect(addressIn(PETITION, 'es', 'en')).toBe(PETITION.es);
    expect(addressIn(PETITION, 'pt', 'en')).toBe(PETITION.en);
    expect(addressIn({ en: PETITION.en, es: '' }, 'es', 'en')).toBe(PETITION.en);
    expect(addressIn('https://nnirr.org', 'es', 'en')).toBe('https://nnirr.org');
    expect(addressIn({ es: PETITION.es }, 'pt', 'en')).toBe('');
    expect(addressIn(undefined, 'es', 'en')).toBe('');
  });

  it("give one language's reader every address and hashtag list as theirs, texts untouched", () => {
    const doc = parse([
      cta(PETITION),
      { type: 'image', src: { en: 'https://nnirr.org/en.jpg' }, alt: { en: 'A' }, href: 'https://nnirr.org/a' },
      {
        type: 'survey',
        heading: { en: 'Survey' },
        body: { en: 'Tell us.' },
        button: { href: { es: 'https://nnirr.org/es/encuesta' }, label: { en: 'Answer' } },
        hashtags: { en: ['#OurBorder'], es: ['#NuestraFrontera'] },
      },
      { type: 'survey', heading: { en: 'Other' }, body: { en: 'b' }, hashtags: { en: ['#Only'] } },
    ]);
    const spanish = documentIn(doc, 'es');
    expect(spanish.blocks).toMatchObject([
      { button: { href: PETITION.es, label: doc.blocks[0]!.type === 'call_to_action' && doc.blocks[0]!.button.label } },
      { src: 'https://nnirr.org/en.jpg', href: 'https://nnirr.org/a' },
      { button: { href: 'https://nnirr.org/es/encuesta' }, hashtags: ['#NuestraFrontera'] },
      { hashtags: ['#Only'] },
    ]);
    const english = documentIn(doc, 'en');
    expect(english.blocks).toMatchObject([
      { button: { href: PETITION.en } },
      { src: 'https://nnirr.org/en.jpg' },
      { button: { href: '' }, hashtags: ['#OurBorder'] },
      { hashtags: ['#Only'] },
    ]);
    expect(english.subject).toBe(doc.subject);
    expect(doc.blocks[0]).toMatchObject({ button: { href: PETITION } });
  });

  it('list an address of each language that has its own, for the checks and link tracking', () => {
    const [block] = parse([cta({ en: PETITION.en, es: PETITION.es, pt: '' })]).blocks;
    expect(blockUrls(block!)).toEqual([
      { field: 'button.href', href: PETITION.en, kind: 'link', language: 'en' },
      { field: 'button.href', href: PETITION.es, kind: 'link', language: 'es' },
    ]);
    const [empty] = parse([cta({ en: '', es: '' })]).blocks;
    expect(blockUrls(empty!)).toEqual([{ field: 'button.href', href: '', kind: 'link' }]);
  });
});

describe('rendering per-language addresses', () => {
  it('gives the English and the Spanish reader each their own button URL and hashtags, HTML and text', async () => {
    const doc = parse([
      cta(PETITION),
      {
        type: 'survey',
        heading: { en: 'Survey', es: 'Encuesta' },
        body: { en: 'Tell us.', es: 'Cuéntenos.' },
        hashtags: { en: ['#OurBorder'], es: ['#NuestraFrontera'] },
      },
    ]);
    const links = recipientLinks(new LinkSigner('k'.repeat(32)), 'https://news.example.org', {
      subscriberId: 1,
      campaignId: 1,
      language: 'en',
    });
    const reader = { subscriberId: 1, email: 'ana@example.org', name: 'Ana' };
    const [en, es] = await Promise.all(['en', 'es'].map((l) => renderBulletin(doc, l, context)));
    const mailEn = personalise(en!, reader, links);
    const mailEs = personalise(es!, reader, links);
    expect(mailEn.html).toContain(`href="${PETITION.en}"`);
    expect(mailEn.html).not.toContain(PETITION.es);
    expect(mailEs.html).toContain(`href="${PETITION.es}"`);
    expect(mailEs.html).not.toContain(PETITION.en);
    expect(mailEn.text).toContain(`Sign the petition: ${PETITION.en}`);
    expect(mailEs.text).toContain(`Firma la petición: ${PETITION.es}`);
    expect(mailEn.text).toContain('#OurBorder');
    expect(mailEs.text).toContain('#NuestraFrontera');
    expect(mailEs.html).toContain('#NuestraFrontera');
    expect(mailEs.html).not.toContain('#OurBorder');
  });
});

describe('pre-send checks on per-language addresses', () => {
  const localisedCta = cta(PETITION);
  const byCode = async (doc: BulletinDocument, code: Finding['code']) =>
    (await findings(doc)).filter((f) => f.code === code);

  it('url_not_localised: a translated block whose link leads Spanish readers to the English page', async () => {
    const doc = parse([
      localisedCta,
      cta('https://nnirr.org/donate'),
      {
        type: 'image',
        src: { en: 'https://nnirr.org/en.jpg' },
        alt: { en: 'A march', es: 'Una marcha' },
      },
    ]);
    expect(await byCode(doc, 'url_not_localised')).toEqual([
      {
        level: 'warning',
        code: 'url_not_localised',
        message:
          'blocks[1].button.href: Spanish readers get the English address ' +
          'while other links in the bulletin are localised',
        language: 'es',
        block: 1,
        field: 'blocks[1].button.href',
      },
      {
        level: 'warning',
        code: 'url_not_localised',
        message: 'blocks[2].src: Spanish readers get the English image while other links in the bulletin are localised',
        language: 'es',
        block: 2,
        field: 'blocks[2].src',
      },
    ]);
  });

  it('url_not_localised: nothing when no address in the bulletin is localised', async () => {
    const doc = parse([cta('https://nnirr.org/petition'), cta({ en: PETITION.en, es: PETITION.en })]);
    expect(await byCode(doc, 'url_not_localised')).toEqual([]);
  });

  it('url_not_localised: nothing for a block with no text in the language (readers get it in English)', async () => {
    const english = { type: 'text', body: { en: 'Only in English' } };
    const doc = parse([
      localisedCta,
      {
        ...cta('https://nnirr.org/donate'),
        heading: { en: 'Give' },
        body: { en: 'Now.' },
        button: { href: 'https://nnirr.org/donate', label: { en: 'Give' } },
      },
      english,
    ]);
    expect(await byCode(doc, 'url_not_localised')).toEqual([]);
  });

  it("check each language's own address and say which language it is", async () => {
    const doc = parse([cta({ en: 'https://nnirr.org/petition', es: 'http://nnirr.org/es' }), cta({ en: '', es: '' })]);
    const found = await findings(doc);
    expect(found).toContainEqual({
      level: 'error',
      code: 'insecure_link',
      message: 'blocks[0].button.href (Spanish): http://nnirr.org/es is not https; the link must be an https address',
      language: 'es',
      block: 0,
      field: 'blocks[0].button.href',
    });
    expect(found.filter((f) => f.code === 'empty_link').map((f) => f.field)).toEqual(['blocks[1].button.href']);
  });

  it('check per-language hashtags, naming the language', async () => {
    const doc = parse([
      {
        type: 'survey',
        heading: { en: 'Survey', es: 'Encuesta' },
        body: { en: 'Tell us.', es: 'Cuéntenos.' },
        hashtags: { en: ['#OurBorder'], es: ['#Nuestra Frontera'] },
      },
    ]);
    expect(await byCode(doc, 'invalid_field')).toEqual([
      expect.objectContaining({ language: 'es', field: 'blocks[0].hashtags[0]' }),
    ]);
  });
});

describe('per-language addresses elsewhere', () => {
  it("track each language's own address, so each language's mail carries its own redirect", () => {
    const doc = parse([cta(PETITION)]);
    const track = ({ url, language }: { url: string; language: string }) =>
      `https://t.example/?u=${encodeURIComponent(url)}&l=${language}`;
    for (const language of ['en', 'es'] as const) {
      expect(trackableLinks(doc, language).map((l) => l.url)).toEqual([PETITION[language]]);
      expect(withTrackedLinks(doc, language, track).blocks[0]).toMatchObject({
        button: { href: `https://t.example/?u=${encodeURIComponent(PETITION[language])}&l=${language}` },
      });
    }
  });
});
