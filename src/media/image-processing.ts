// Turns an uploaded file into the images a mail shows: decoded to learn what it is (never trusting
// its name or the type the browser sent), resized to the width it is shown and twice that, with
// every piece of metadata dropped (GPS and camera serials can say where a photographed person was).
import sharp, { type Metadata, type Sharp } from 'sharp';

// The web process decodes uploads beside serving requests: no cache of decoded images kept between
// uploads, and one libvips thread an image, so a burst of uploads costs little memory.
sharp.cache(false);
sharp.concurrency(1);

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
// Without keepMetadata/withMetadata sharp writes no EXIF, XMP, IPTC, comments or ICC profile, and
// converts the pixels to sRGB first, so the colours stay right in every client.
const ENCODE: Record<ImageType, (image: Sharp) => Sharp> = {
  jpeg: (image) => image.jpeg({ quality: 82, mozjpeg: true }),
  png: (image) => image.png({ compressionLevel: 9 }),
  gif: (image) => image.gif(),
};

const UNREADABLE = 'the file is not an image Pregón can read: upload a JPEG, PNG, GIF, WebP or AVIF';
const DAMAGED = 'the image is damaged or cut short and cannot be read to the end: upload the original file again';

/** `width` is the width the image is shown at in the mail, in CSS pixels (600 for full width). */
export async function processImage(input: Buffer, { width }: { width: number }): Promise<ProcessedImage> {
  if (input.length === 0) throw new ImageRefused('the file is empty');
  if (input.length > MAX_UPLOAD_BYTES) throw new ImageRefused('the file is larger than 10 MB', 413);
  // Reads the header only, so sharp's own pixel limit is lifted here: the dimensions are checked
  // below, with a message saying which limit, before a single pixel is decoded.
  const metadata = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw new ImageRefused(isPdf(input) ? 'PDF files are refused: export the page as a PNG or JPEG' : UNREADABLE);
    });
  const type = typeFor(metadata);
  // A GIF, or a WebP become one, keeps every frame; a TIFF's other pages are dropped.
  const animated = type === 'gif' && (metadata.pages ?? 1) > 1;
  const pixels = metadata.width * metadata.height * (animated ? (metadata.pages ?? 1) : 1);
  if (pixels > MAX_INPUT_PIXELS) {
    const megapixels = `${MAX_INPUT_PIXELS / 1_000_000} megapixels`;
    throw new ImageRefused(
      animated
        ? `the animation is larger than ${megapixels}, counting all its frames`
        : `the image is larger than ${megapixels}`,
      413,
    );
  }
  const originalWidth = metadata.autoOrient.width;
  const at = async (target: number): Promise<Rendition> => {
    // failOn 'error' refuses a truncated file (rather than keeping it half grey) and corrupt data,
    // but not the harmless warnings some cameras' files raise.
    const image = sharp(input, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, animated })
      .autoOrient()
      .resize({ width: Math.min(target, originalWidth) });
    const { data, info } = await ENCODE[type](image)
      .toBuffer({ resolveWithObject: true })
      .catch(() => {
        throw new ImageRefused(DAMAGED);
      });
    return { bytes: data, width: info.width, height: info.pageHeight ?? info.height };
  };
  // One after the other: the web process holds one decoded image at a time.
  const one = await at(width);
  const two = await at(width * 2);
  return { type, ext: EXT[type], contentType: CONTENT_TYPE[type], one, two };
}

/**
 * What the decoded format is kept as. JPEG, PNG and GIF stay as they are; WebP, AVIF and TIFF,
 * which not every mail client shows, become PNG when they have transparency and JPEG otherwise
 * (an animated WebP becomes a GIF, keeping its animation). The rest is refused.
 */
function typeFor(metadata: Metadata): ImageType {
  switch (metadata.format) {
    case 'jpeg':
    case 'png':
    case 'gif':
      return metadata.format;
    case 'webp':
      if ((metadata.pages ?? 1) > 1) return 'gif';
      return metadata.hasAlpha ? 'png' : 'jpeg';
    case 'heif':
      // The libheif built into sharp decodes AV1 (AVIF) only: an iPhone's HEVC photo cannot be read.
      if (metadata.compression !== 'av1') {
        throw new ImageRefused('HEIC photos cannot be read here: export as JPEG first');
      }
      return metadata.hasAlpha ? 'png' : 'jpeg';
    case 'tiff':
      return metadata.hasAlpha ? 'png' : 'jpeg';
    case 'svg':
      throw new ImageRefused('SVG images are refused, as they can carry scripts: export as PNG first');
    default:
      throw new ImageRefused(UNREADABLE);
  }
}

function isPdf(input: Buffer): boolean {
  return input.subarray(0, 5).toString('latin1') === '%PDF-';
}
