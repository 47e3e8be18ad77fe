// Turns an uploaded file into the images a mail shows: decoded to learn what it is (never trusting
// its name or the type the browser sent), resized to the width it is shown and twice that, with
// every piece of metadata dropped (GPS and camera serials can say where a photographed person was).
import sharp from 'sharp';

/** The largest upload read, in bytes. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** The most pixels a decoded image may have: more is a decompression bomb, not a photograph. */
export const MAX_INPUT_PIXELS = 50_000_000;

/** The types a mail carries: what every client shows. Anything else readable is converted to one. */
export type ImageType = 'jpeg' | 'png' | 'gif';

export interface Rendition {
  bytes: Buffer;
  width: number;
  height: number;
}

export interface ProcessedImage {
  type: ImageType;
  /** The file name extension for `type`: jpg, png or gif. */
  ext: 'jpg' | 'png' | 'gif';
  contentType: 'image/jpeg' | 'image/png' | 'image/gif';
  /** At the width it is shown (or the original's, when smaller). */
  one: Rendition;
  /** At twice that, for sharp screens, never larger than the original. */
  two: Rendition;
}

/** Why an upload is not an image Pregón will keep; `status` is 413 for a limit, 400 otherwise. */
export class ImageRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 = 400,
  ) {
    super(message);
    this.name = 'ImageRefused';
  }
}

const EXT = { jpeg: 'jpg', png: 'png', gif: 'gif' } as const;
const CONTENT_TYPE = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif' } as const;

/** `width` is the width the image is shown at in the mail, in CSS pixels (600 for full width). */
export async function processImage(input: Buffer, { width }: { width: number }): Promise<ProcessedImage> {
  if (input.length === 0) throw new ImageRefused('the file is empty');
  if (input.length > MAX_UPLOAD_BYTES) throw new ImageRefused('the file is larger than 10 MB', 413);
  const metadata = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const type: ImageType = metadata.format === 'png' ? 'png' : metadata.format === 'gif' ? 'gif' : 'jpeg';
  const originalWidth = metadata.autoOrient?.width ?? metadata.width;
  const at = async (target: number): Promise<Rendition> => {
    const image = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, animated: type === 'gif' })
      .autoOrient()
      .resize({ width: Math.min(target, originalWidth), withoutEnlargement: true });
    const { data, info } = await image.toFormat(type).toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.pageHeight ?? info.height };
  };
  return { type, ext: EXT[type], contentType: CONTENT_TYPE[type], one: await at(width), two: await at(width * 2) };
}
