// The media library's API shapes. The store, the routes and the staff app (with `import type`) take
// their types from here, and so does the OpenAPI document.
import { z } from 'zod';
import { Author } from '../library/schemas.js';
import { FULL_WIDTH } from './shown-widths.js';

/** The width an image is shown at in the mail, in CSS pixels: what `POST /api/media?width=` takes. */
export const MediaQuery = z.strictObject({
  width: z.coerce
    .number()
    .int('must be a whole number of pixels')
    .min(16, 'must be at least 16')
    .max(FULL_WIDTH, `must be at most ${FULL_WIDTH} (the width of the mail)`)
    .default(FULL_WIDTH)
    .describe(`The width the image is shown at in the mail, in CSS pixels; ${FULL_WIDTH} is the full width`),
});
export type MediaQuery = z.infer<typeof MediaQuery>;

export const MediaUse = z
  .object({
    bulletinId: z.number(),
    title: z.string(),
    sent: z.boolean().describe('Whether a campaign of this bulletin has gone out: then the image stays'),
  })
  .describe('A bulletin whose document shows the image');
export type MediaUse = z.infer<typeof MediaUse>;

export const MediaItem = z.object({
  id: z.number(),
  url: z.string().describe('The address a mail shows, at the width it is shown'),
  url2x: z.string().describe('The same image at twice that width, for sharp screens (never larger than the original)'),
  type: z.enum(['jpeg', 'png', 'gif']),
  width: z.number().describe('Width of the image at `url`, in pixels'),
  height: z.number(),
  bytes: z.number().describe('Size of the file at `url`'),
  bytes2x: z.number().describe('Size of the file at `url2x`'),
  name: z.string().describe("The uploaded file's name, for people to recognise it (never used to decide its type)"),
  createdBy: Author,
  createdAt: z.string(),
  usedBy: z.array(MediaUse),
  usedAsLogo: z.boolean().describe("Whether the settings name it as the organisation's logo"),
});
export type MediaItem = z.infer<typeof MediaItem>;

export const MediaList = z.object({ items: z.array(MediaItem) });
export type MediaList = z.infer<typeof MediaList>;
