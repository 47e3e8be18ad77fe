// The names of a media library's files: `<sha256>.<ext>` for an image at the width it is shown, and
// its twin `<sha256>-2x.<ext>` beside it at twice that (media-files.ts's mediaNames). Pure, so the
// renderer reads the sharper file's address from an image's address alone, with no database.

/** A name the files of a media store may have. */
export const MEDIA_NAME = /^[0-9a-f]{64}(-2x)?\.(jpg|png|gif)$/;

const ONE_X = /\/[0-9a-f]{64}\.(?:jpg|png|gif)$/;

/** The 2x twin's address of a media library image; undefined for any other address. */
export function twiceAsWide(src: string): string | undefined {
  if (!ONE_X.test(src)) return undefined;
  const dot = src.lastIndexOf('.');
  return `${src.slice(0, dot)}-2x${src.slice(dot)}`;
}
