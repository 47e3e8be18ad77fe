// What the bulletins API answers: a bulletin, its summary in lists, its versions and its pre-send
// checks. The store, the routes, the checks and the staff app (with `import type`) take their types
// from here, and so does the OpenAPI document. The document itself is in document.ts.
import { z } from 'zod';
import { BulletinDocument } from './document.js';

export const Bulletin = z.object({
  id: z.number(),
  title: z.string(),
  version: z.number(),
  versionId: z.number().describe('Id of the stored version, the thing a send pins'),
  document: BulletinDocument,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Bulletin = z.infer<typeof Bulletin>;

export const BulletinSummary = Bulletin.omit({ document: true, versionId: true }).extend({
  languages: z.array(z.string()).describe("The current version's languages"),
  blocks: z.number().describe('How many blocks the current version has'),
});
export type BulletinSummary = z.infer<typeof BulletinSummary>;

/** One thing that changed between two versions (src/bulletins/version-diff.ts), as a sentence and its parts. */
export const VersionChange = z.object({
  kind: z.enum(['block_added', 'block_removed', 'block_moved', 'block_edited', 'setting']),
  text: z.string().describe('e.g. "Added call to action “Sign the petition”", "Edited Spanish body of block 2"'),
  block: z.number().optional().describe('The block, counted from 1 (in the older version for a removed block)'),
  field: z.string().optional().describe('The field\'s path, e.g. "body", "button.label", "subject"'),
  language: z.string().optional().describe('The language of the text that changed'),
});
export type VersionChange = z.infer<typeof VersionChange>;

/** A campaign that went out from a version. */
export const VersionSend = z.object({
  campaignId: z.number(),
  startedAt: z.string().nullable(),
  recipients: z.number().describe('Ledger rows: the people it was sent to'),
});
export type VersionSend = z.infer<typeof VersionSend>;

const VersionBase = z.object({
  version: z.number(),
  versionId: z.number(),
  title: z.string(),
  createdAt: z.string(),
  savedBy: z
    .string()
    .nullable()
    .describe(
      'Who saved it: a staff member\'s email, "token: <name>", or "Pregón" for the example it loads on an empty ' +
        'database; null for versions saved before authors were kept',
    ),
});

export const BulletinVersionSummary = VersionBase.extend({
  sent: z.boolean().describe('A campaign went out (or is going out) from this version'),
  sends: z.array(VersionSend).describe('The campaigns that went out from it, newest first'),
  changes: z.array(VersionChange).describe('What changed since the version before it; empty for version 1'),
});
export type BulletinVersionSummary = z.infer<typeof BulletinVersionSummary>;

export const BulletinVersion = VersionBase.extend({ document: BulletinDocument });
export type BulletinVersion = z.infer<typeof BulletinVersion>;

/** What a pre-send check found (src/render/checks.ts): an error blocks sending, a warning does not. */
export const Finding = z.object({
  level: z.enum(['error', 'warning']),
  code: z.enum([
    'untranslated',
    'missing_field',
    'invalid_field',
    'unknown_merge_field',
    'missing_alt',
    'empty_link',
    'incomplete_link',
    'insecure_link',
    'unsafe_link',
    'html_too_large',
    'html_near_limit',
    'subject_empty',
    'subject_too_long',
    'missing_preheader',
    'no_postal_address',
    'insecure_public_url',
    'low_contrast',
    'mjml_invalid',
    'render_failed',
    'unknown_topic',
    'url_not_localised',
    'translation_outdated',
    'language_not_ready',
    'block_shown_to_nobody',
    'unknown_tag',
  ]),
  message: z.string(),
  language: z.string().optional(),
  block: z.number().optional(),
  field: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

/** A preview as the reader's HTML, the plain-text part, or the MJML source. */
export const PreviewFormat = z.enum(['html', 'text', 'mjml']);
export type PreviewFormat = z.infer<typeof PreviewFormat>;

/** The HTML preview as a client in dark mode shows it (src/render/preview-look.ts). */
export const PreviewScheme = z.enum(['light', 'dark']);
export type PreviewScheme = z.infer<typeof PreviewScheme>;

/** The HTML preview as a client that blocks images shows it: alt texts in the images' places. */
export const PreviewImages = z.enum(['on', 'off']);
export type PreviewImages = z.infer<typeof PreviewImages>;

/** How a preview shows the mail: as sent, or as a client in dark mode or with images off would. */
export interface PreviewLook {
  scheme: PreviewScheme;
  images: PreviewImages;
}

export const Checks = z.object({ ok: z.boolean(), findings: z.array(Finding) });
export type Checks = z.infer<typeof Checks>;

/** Which of a bulletin's languages staff marked ready to send; the fallback language needs no mark. */
export const TranslationStatus = z.object({
  ready: z.array(z.string()).describe("Languages marked ready, of the bulletin's current languages"),
});
export type TranslationStatus = z.infer<typeof TranslationStatus>;

/** Someone else with the bulletin open in the composer (src/bulletins/presence.ts): staff, never a subscriber. */
export const PresentViewer = z.object({
  kind: z.enum(['staff', 'token']).describe('A staff member signed in, or a script with an API token'),
  name: z.string().describe("The staff member's email, or the API token's name"),
  since: z.string().describe('When they opened it (their first heartbeat without a gap of 30 seconds)'),
  editing: z.boolean().describe('Whether they changed the bulletin lately, as their composer says'),
});
export type PresentViewer = z.infer<typeof PresentViewer>;

export const PresenceHeartbeat = z.strictObject({
  editing: z.boolean().default(false).describe('Whether you changed the bulletin lately'),
});
export type PresenceHeartbeat = z.infer<typeof PresenceHeartbeat>;

export const PresenceAnswer = z.object({
  data: z.array(PresentViewer).describe('The others with the bulletin open, who came first first; you are not in it'),
});
export type PresenceAnswer = z.infer<typeof PresenceAnswer>;
