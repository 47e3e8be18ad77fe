// /api/bulletins/:id/translations and …/languages/:language/ready: staff mark a language ready to
// send, and a translation still correct after its fallback text changed (src/render/translation-checks.ts).
import { z } from 'zod';
import { languageChoices, languageName } from '../audience/languages.js';
import { LanguageCode } from '../audience/schemas.js';
import { AppError } from '../errors.js';
import { defineRoute, idParams, type RouteSpec } from '../http/api-routes.js';
import type { BulletinStore } from './bulletin-store.js';
import type { BulletinDocument } from './document.js';
import { savedBy } from './routes.js';
import { TranslationStatus } from './schemas.js';
import { documentTexts } from './translation-history.js';
import type { TranslationStore } from './translation-store.js';

const LanguageParams = idParams.extend({ language: LanguageCode });

const StillCorrect = z.strictObject({
  field: z
    .string()
    .max(200)
    .describe('The text as a translation_outdated finding names it: "blocks[2].body", "subject"'),
  language: LanguageCode.describe('The translation that still says what the fallback language says'),
});

/** `language` is one of the bulletin's translations: a language of it, and not its fallback. */
function translatedLanguage(doc: BulletinDocument, language: string, path = 'language'): void {
  const [fallback, ...others] = doc.languages;
  if (language === fallback)
    throw AppError.invalid([
      {
        path,
        message: `${languageName(language)} is the bulletin's fallback language: the others are read against it`,
      },
    ]);
  if (!others.includes(language))
    throw AppError.invalid([{ path, message: `must be ${languageChoices(others)}, the bulletin's translations` }]);
}

export function translationRoutes(bulletins: BulletinStore, translations: TranslationStore): RouteSpec[] {
  const tag = 'bulletins';
  const status = async (id: number, doc: BulletinDocument): Promise<TranslationStatus> => ({
    ready: (await translations.ready(id)).filter((language) => doc.languages.includes(language)),
  });
  return [
    defineRoute({
      method: 'get',
      path: '/bulletins/:id/translations',
      tag,
      role: 'writer',
      summary: 'Which of the bulletin’s languages are marked ready to send',
      params: idParams,
      response: TranslationStatus,
      handler: async ({ params }) => status(params.id, (await bulletins.get(params.id)).document),
    }),
    defineRoute({
      method: 'put',
      path: '/bulletins/:id/languages/:language/ready',
      tag,
      role: 'writer',
      summary: 'Mark a translation ready to send: the send no longer warns language_not_ready for it',
      params: LanguageParams,
      response: TranslationStatus,
      handler: async ({ params, auth }) => {
        const { document } = await bulletins.get(params.id);
        translatedLanguage(document, params.language);
        await translations.markReady(params.id, params.language, savedBy(auth));
        return status(params.id, document);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/bulletins/:id/languages/:language/ready',
      tag,
      role: 'writer',
      summary: 'Take back a ready mark',
      params: LanguageParams,
      response: TranslationStatus,
      handler: async ({ params }) => {
        const { document } = await bulletins.get(params.id);
        await translations.unmarkReady(params.id, params.language);
        return status(params.id, document);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/bulletins/:id/translations/still-correct',
      tag,
      role: 'writer',
      summary:
        'Mark a translation still correct for the fallback language’s present text: its translation_outdated ' +
        'finding goes, and comes back when the fallback text changes again',
      status: 204,
      params: idParams,
      body: StillCorrect,
      handler: async ({ params, body, auth }) => {
        const { document } = await bulletins.get(params.id);
        translatedLanguage(document, body.language);
        const text = documentTexts(document).find((t) => t.path === body.field);
        if (!text) throw AppError.invalid([{ path: 'field', message: `the bulletin has no text “${body.field}”` }]);
        const fallbackText = text.text[document.languages[0]!] ?? '';
        await translations.confirm(
          params.id,
          { field: text.field, language: body.language, fallbackText },
          savedBy(auth),
        );
      },
    }),
  ];
}
