// The library's API shapes: blocks and templates saved by name, and who saved them. The store, the
// routes and the staff app (with `import type`) take their types from here, and so does the
// OpenAPI document. A saved block is the document's own Block; a template is a whole document.
import { z } from 'zod';
import type { Auth } from '../http/api-routes.js';
import { Block, BulletinDocument } from '../bulletins/document.js';

export const LibraryName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .describe('What staff call it in the library, e.g. "Petition call to action"');

export const Author = z
  .object({
    kind: z.enum(['staff', 'token']),
    name: z.string().describe("The staff member's email, or the API token's name, when it was saved"),
  })
  .describe('Who saved it: a signed-in staff member or an API token');
export type Author = z.infer<typeof Author>;

/** Who is asking, as the library records it. */
export function authorOf(auth: Auth): Author {
  return auth.kind === 'session' ? { kind: 'staff', name: auth.email } : { kind: 'token', name: auth.name };
}

const Saved = z.object({
  id: z.number(),
  name: z.string(),
  createdBy: Author,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const LibraryBlock = Saved.extend({ block: Block });
export type LibraryBlock = z.infer<typeof LibraryBlock>;

export const LibraryBlockInput = z.strictObject({ name: LibraryName, block: Block });
export type LibraryBlockInput = z.infer<typeof LibraryBlockInput>;

export const LibraryBlockChange = z
  .strictObject({ name: LibraryName.optional(), block: Block.optional() })
  .refine((change) => change.name !== undefined || change.block !== undefined, 'must change name or block');

export const Template = Saved.extend({ document: BulletinDocument });
export type Template = z.infer<typeof Template>;

export const TemplateSummary = Saved.extend({
  title: z.string().describe("The document's title, which a bulletin started from it takes"),
  languages: z.array(z.string()),
  blocks: z.number().describe('How many blocks the template has'),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

export const TemplateInput = z.strictObject({ name: LibraryName, document: BulletinDocument });
export type TemplateInput = z.infer<typeof TemplateInput>;

export const TemplateChange = z
  .strictObject({ name: LibraryName.optional(), document: BulletinDocument.optional() })
  .refine((change) => change.name !== undefined || change.document !== undefined, 'must change name or document');
