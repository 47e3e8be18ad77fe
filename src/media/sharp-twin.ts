// The address of a media library image at twice its width, read from its address alone: the 1x
// file is `<sha256>.<ext>` and its twin `<sha256>-2x.<ext>` beside it (media-files.ts's mediaNames).
// Pure, so the renderer needs no database to offer sharp screens the sharper file.

const ONE_X = /\/[0-9a-f]{64}\.(?:jpg|png|gif)$/;

/** The 2x twin's address of a media library image; undefined for any other address. */
export function twiceAsWide(src: string): string | undefined {
  if (!ONE_X.test(src)) return undefined;
  const dot = src.lastIndexOf('.');
  return `${src.slice(0, dot)}-2x${src.slice(dot)}`;
}
