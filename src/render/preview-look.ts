// The preview as a reader's client may show it: in dark mode, or with images blocked. Both work on
// the rendered mail, so the preview shows the theme's own dark rules and alt texts, never copies.
import type { PreviewImages, PreviewScheme } from '../bulletins/schemas.js';

export interface PreviewLook {
  scheme: PreviewScheme;
  images: PreviewImages;
}

export const AS_SENT: PreviewLook = { scheme: 'light', images: 'on' };

/** `html` (a whole rendered mail) as a client with `look`'s settings shows it. */
export function withLook(html: string, look: PreviewLook): string {
  const schemed = look.scheme === 'dark' ? inDarkMode(html) : html;
  return look.images === 'off' ? withImagesOff(schemed) : schemed;
}

/**
 * A frame cannot be told the reader prefers dark (media features follow the browser), so the
 * mail's `prefers-color-scheme` queries are answered here: dark rules always apply, light never.
 */
export function inDarkMode(html: string): string {
  return html.replace(/@media\s*\(\s*prefers-color-scheme\s*:\s*(dark|light)\s*\)/gi, (_, scheme: string) =>
    scheme.toLowerCase() === 'dark' ? '@media all' : '@media not all',
  );
}

/**
 * Clients that block images keep each <img> box and write its alt text in it, in the image's own
 * style; a browser does the same for an <img> with alt text and no source. The mail is our own
 * render, so every attribute is quoted and escaped: no `>` inside a tag.
 */
export function withImagesOff(html: string): string {
  return html.replace(/<img\b[^>]*>/gi, (tag) =>
    tag.replace(/\s(?:src|srcset)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, ''),
  );
}
