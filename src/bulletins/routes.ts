// /api/bulletins: documents, versions, preview and pre-send checks.
import type { Response } from 'express';
import { z } from 'zod';
import { languageChoices } from '../audience/languages.js';
import type { RuleReader } from '../audience/rule-evaluator.js';
import { LanguageCode, Tag } from '../audience/schemas.js';
import { sampleReader } from '../audience/rule-readers.js';
import { actorOf, type AuditRecorder } from '../audit/audit-log.js';
import { AppError } from '../errors.js';
import { type Auth, defineRoute, IdText, idParams, MAX_ID, type RouteSpec } from '../http/api-routes.js';
import type { BulletinStore } from './bulletin-store.js';
import { BulletinDocument } from './document.js';
import {
  Bulletin,
  BulletinSummary,
  BulletinVersion,
  BulletinVersionSummary,
  Checks,
  type Finding,
  PreviewFormat,
  PreviewImages,
  type PreviewLook,
  PreviewScheme,
} from './schemas.js';
import type { TranslationState } from './translation-history.js';
import type { TranslationStore } from './translation-store.js';
import { type BulletinSend, versionHistory } from './version-history.js';

/** What the preview and checks routes need of the renderer (src/render/bulletin-renderer.ts). */
export interface BulletinRendering {
  /** With `reader`, the mail as that reader gets it; without, the staff copy (every block, labelled). */
  preview(
    doc: BulletinDocument,
    language: string,
    format: PreviewFormat,
    look?: PreviewLook,
    reader?: RuleReader,
  ): Promise<string>;
  /** A subscriber's row as a block's audience reads it; 400 naming `subscriberId` when there is none. */
  subscriberReader(id: number): Promise<RuleReader>;
  checks(doc: BulletinDocument, translations?: TranslationState): Promise<Finding[]>;
}

const PreviewQuery = z
  .strictObject({
    lang: LanguageCode.optional().describe(
      'A language of the bulletin (a code in any case or a name, as LanguageCode reads it); ' +
        'its first language when omitted',
    ),
    format: PreviewFormat.default('html'),
    versionId: IdText.optional().describe('A saved version to render; the current one when omitted'),
    scheme: PreviewScheme.default('light').describe(
      "The HTML as a client in dark mode shows it: the mail's dark rules applied",
    ),
    images: PreviewImages.default('on').describe(
      'The HTML as a client that blocks images shows it: alt texts in their places',
    ),
    subscriberId: IdText.optional().describe(
      'Preview as this subscriber gets it: the blocks with an audience their row matches, unlabelled; ' +
        'in their language when `lang` is omitted and the bulletin has it',
    ),
    tags: z
      .string()
      .max(2000)
      .transform((text, ctx) => {
        const tags = text === '' ? [] : text.split(',').map((tag) => tag.trim());
        for (const [i, tag] of tags.entries()) {
          const parsed = Tag.safeParse(tag);
          if (!parsed.success) ctx.addIssue({ code: 'custom', path: [i], message: parsed.error.issues[0]!.message });
        }
        return tags;
      })
      .optional()
      .describe(
        'Preview as a made-up reader with these tags (comma-separated; empty for none), in `lang`, ' +
          "following the bulletin's topic, with no attributes",
      ),
  })
  .superRefine((query, ctx) => {
    if (query.subscriberId !== undefined && query.tags !== undefined)
      ctx.addIssue({ code: 'custom', path: ['tags'], message: 'cannot be given with subscriberId' });
    if (query.format === 'mjml' && (query.subscriberId !== undefined || query.tags !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: [query.subscriberId !== undefined ? 'subscriberId' : 'tags'],
        message: 'is for format=html or text: the MJML has every block',
      });
    // A look is the HTML's: text and MJML have no colours or images to change.
    if (query.format === 'html') return;
    if (query.scheme !== 'light')
      ctx.addIssue({ code: 'custom', path: ['scheme'], message: 'is for format=html only' });
    if (query.images !== 'on') ctx.addIssue({ code: 'custom', path: ['images'], message: 'is for format=html only' });
  });

/**
 * The preview is the mail as sent, shown in a frame of the staff app: its images are wherever the
 * bulletin links them (any https host, or this Pregón's own /media in development), its styles are inline,
 * and nothing in it may run.
 */
const PREVIEW_CSP =
  "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; " +
  "frame-ancestors 'self'; form-action 'none'; base-uri 'none'";

/** A bulletin version's entity tag, as GET and PUT answer it in `ETag` and PUT takes it in `If-Match`: `"12"`. */
export const versionTag = (version: number) => `"${version}"`;

const SaveQuery = z.strictObject({
  baseVersion: IdText.optional().describe(
    'The version the change was made on, for clients that cannot send If-Match; see If-Match',
  ),
});

/**
 * The version a save was made on: If-Match's entity tag (`"12"`, weak or not) or ?baseVersion=12;
 * none (or If-Match: *) saves whatever the current version is.
 */
function baseVersionOf(ifMatch: string | undefined, query: number | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return query;
  const tag = /^\s*(?:W\/)?"(\d{1,10})"\s*$/.exec(ifMatch);
  const version = Number(tag?.[1]);
  if (!tag || version > MAX_ID)
    throw AppError.invalid([{ path: 'If-Match', message: 'must be the ETag a GET answered, such as "12"' }]);
  if (query !== undefined && query !== version)
    throw AppError.invalid([{ path: 'baseVersion', message: `must be the version If-Match names (${version})` }]);
  return version;
}

/** What the versions list and a save need of the campaigns store (src/sending/campaign-store.ts). */
export interface BulletinSends {
  /** The bulletin's sends that reached someone or are still to come, newest first. */
  sendsOf(bulletinId: number): Promise<BulletinSend[]>;
  /** Withdraws the bulletin's sends awaiting approval, saying why; returns their ids. */
  withdrawRequests(bulletinId: number, reason: string): Promise<number[]>;
}

/** Why a save withdraws a request: the approver must never approve a document other than the one shown. */
export const WITHDRAWN_BY_SAVE = 'The bulletin changed after the request: ask again for the new version';

/** Who saved a version, as the versions list shows it: the staff member's email, or the token's name. */
export function savedBy(auth: Auth): string {
  return auth.kind === 'session' ? auth.email : `token: ${auth.name}`;
}

/** Answers the bulletin with its version's entity tag. */
function tagged(bulletin: Bulletin, res: Response): Bulletin {
  res.set('ETag', versionTag(bulletin.version));
  return bulletin;
}

export function bulletinRoutes(
  bulletins: BulletinStore,
  renderer: BulletinRendering,
  campaigns: BulletinSends,
  translations: TranslationStore,
  audit: AuditRecorder,
): RouteSpec[] {
  const tag = 'bulletins';
  return [
    defineRoute({
      method: 'get',
      path: '/bulletins',
      tag,
      role: 'writer',
      summary: 'List bulletins, most recently changed first',
      response: z.object({ data: z.array(BulletinSummary) }),
      handler: async () => ({ data: await bulletins.list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/bulletins',
      tag,
      role: 'writer',
      summary: 'Create a bulletin from a document (version 1)',
      status: 201,
      body: BulletinDocument,
      response: Bulletin,
      handler: async ({ body, auth, res }) => tagged(await bulletins.create(body, savedBy(auth)), res),
    }),
    defineRoute({
      method: 'get',
      path: '/bulletins/:id',
      tag,
      role: 'writer',
      summary: 'Get a bulletin and its current document; ETag names its version, for If-Match on PUT',
      params: idParams,
      response: Bulletin,
      handler: async ({ params, res }) => tagged(await bulletins.get(params.id), res),
    }),
    defineRoute({
      method: 'put',
      path: '/bulletins/:id',
      tag,
      role: 'writer',
      summary:
        'Save a new version of the document, if the version it was made on is still the current one; a send ' +
        'of the bulletin awaiting approval is withdrawn by it',
      params: idParams,
      query: SaveQuery,
      headers: {
        'If-Match':
          'The ETag of the version the change was made on (`"12"`, as GET answers it), or the query\'s ' +
          'baseVersion. With either, a save made on an older version is refused with 409; with neither, ' +
          'the save replaces whatever is current (last write wins)',
      },
      errors: {
        409:
          'Someone saved a newer version since the base version: `code` is "conflict" and `current` the ' +
          'current version (version, versionId, title, createdAt, savedBy, document). Nothing was saved',
      },
      body: BulletinDocument,
      response: Bulletin,
      handler: async ({ params, query, body, auth, req, res }) => {
        const base = baseVersionOf(req.get('If-Match'), query.baseVersion);
        const saved = await bulletins.save(params.id, body, savedBy(auth), base);
        for (const id of await campaigns.withdrawRequests(params.id, WITHDRAWN_BY_SAVE)) {
          await audit.record({
            actor: actorOf(auth),
            action: 'campaign_withdrawn',
            target: { type: 'campaign', id },
            details: { bulletinId: params.id, versionId: saved.versionId },
          });
        }
        return tagged(saved, res);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/bulletins/:id',
      tag,
      role: 'editor',
      summary: 'Delete a bulletin and its versions',
      status: 204,
      params: idParams,
      handler: ({ params }) => bulletins.delete(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/bulletins/:id/versions',
      tag,
      role: 'writer',
      summary: 'List the saved versions, newest first: who saved each, what changed since the one before, its sends',
      params: idParams,
      response: z.object({ data: z.array(BulletinVersionSummary) }),
      handler: async ({ params }) => {
        const versions = await bulletins.versions(params.id);
        return { data: versionHistory(versions, await campaigns.sendsOf(params.id)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bulletins/:id/versions/:versionId',
      tag,
      role: 'writer',
      summary: 'Get one saved version and its document',
      params: idParams.extend({ versionId: IdText }),
      response: BulletinVersion,
      handler: ({ params }) => bulletins.versionOf(params.id, params.versionId),
    }),
    defineRoute({
      method: 'post',
      path: '/bulletins/:id/duplicate',
      tag,
      role: 'writer',
      summary: 'Copy a bulletin into a new one',
      status: 201,
      params: idParams,
      response: Bulletin,
      handler: async ({ params, auth }) => {
        const { document } = await bulletins.get(params.id);
        return bulletins.create({ ...document, title: `${document.title.slice(0, 193)} (copy)` }, savedBy(auth));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bulletins/:id/preview',
      tag,
      role: 'writer',
      summary:
        'The bulletin (or one saved version) in one language as HTML, plain text or MJML, ' +
        'personalised for a sample reader: every block, each one with an audience labelled with its rule; ' +
        'or as one subscriber, or a made-up reader with some tags, gets it',
      params: idParams,
      query: PreviewQuery,
      responseContentType: 'text/html',
      handler: async ({ params, query, res }) => {
        const { document } = query.versionId
          ? await bulletins.versionOf(params.id, query.versionId)
          : await bulletins.get(params.id);
        const subscriber =
          query.subscriberId === undefined ? undefined : await renderer.subscriberReader(query.subscriberId);
        // A subscriber's own language when the bulletin has it, as their mail would be.
        const language =
          query.lang ??
          (subscriber && document.languages.includes(subscriber.language)
            ? subscriber.language
            : document.languages[0]!);
        if (!document.languages.includes(language)) {
          throw AppError.invalid([
            { path: 'lang', message: `must be ${languageChoices(document.languages)}, the bulletin's languages` },
          ]);
        }
        const reader =
          subscriber ?? (query.tags === undefined ? undefined : sampleReader(query.tags, language, document.topic));
        const look = { scheme: query.scheme, images: query.images };
        const body = await renderer.preview(document, language, query.format, look, reader);
        res.set('Content-Security-Policy', PREVIEW_CSP);
        res.type(query.format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8').send(body);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/bulletins/:id/checks',
      tag,
      role: 'writer',
      summary: 'Pre-send checks: errors block sending, warnings do not',
      params: idParams,
      response: Checks,
      handler: async ({ params }) => {
        const [{ document }, state] = await Promise.all([bulletins.get(params.id), translations.state(params.id)]);
        const findings = await renderer.checks(document, state);
        return { ok: !findings.some((f) => f.level === 'error'), findings };
      },
    }),
  ];
}
